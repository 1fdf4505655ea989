package dev.flinkrag.source.changelog;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.document.DocumentColumns;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Any Flink changelog of documents — a {@code Table} (JDBC, Pulsar, Kinesis, CDC, …) or a {@code DataStream<Row>}
 * with {@link RowKind}s — as document changes for the pipeline: {@code INSERT} and {@code UPDATE_AFTER} rows
 * upsert their document, {@code DELETE} rows delete it, {@code UPDATE_BEFORE} rows are skipped.
 *
 * <pre>{@code
 * Table documents = tableEnv.from("documents");   // id, body, title, updated
 * DataStream<DocumentChange> changes = DocumentChangelog.of(tableEnv, documents)
 *         .idColumn("id").textColumn("body").changes();
 * }</pre>
 *
 * <p>Versions count each document's rows in arrival order (keyed state, in checkpoints), so rows of one document
 * must arrive in their order, as a changelog keyed by the document's primary key does. A row whose id or text
 * is NULL becomes an unreadable change, which the pipeline dead-letters naming the row and column.
 */
@PublicEvolving
public final class DocumentChangelog {

    private final DataStream<Row> rows;
    private String idColumn = DocumentColumns.ID_COLUMN.defaultValue();
    private String textColumn = DocumentColumns.TEXT_COLUMN.defaultValue();
    private List<String> metadataColumns;

    private DocumentChangelog(DataStream<Row> rows) {
        this.rows = rows;
    }

    /** The table's changelog, with column names. */
    public static DocumentChangelog of(StreamTableEnvironment tableEnvironment, Table table) {
        return new DocumentChangelog(tableEnvironment.toChangelogStream(table));
    }

    /** Rows with field names (as {@code toChangelogStream} makes them) and their row kinds. */
    public static DocumentChangelog of(DataStream<Row> changelog) {
        return new DocumentChangelog(changelog);
    }

    public DocumentChangelog idColumn(String column) {
        this.idColumn = column;
        return this;
    }

    public DocumentChangelog textColumn(String column) {
        this.textColumn = column;
        return this;
    }

    /** The columns kept as metadata; by default every column but id and text. */
    public DocumentChangelog metadataColumns(String... columns) {
        this.metadataColumns = List.of(columns);
        return this;
    }

    public DataStream<DocumentChange> changes() {
        NamedRowReader reader = new NamedRowReader(idColumn, textColumn, metadataColumns);
        return rows.keyBy(DocumentVersioning.keyOf(reader), Types.STRING)
                .process(new DocumentVersioning<>(reader), TypeInformation.of(DocumentChange.class))
                .name("document changelog")
                .uid("flink-rag-document-changelog");
    }

    /** Columns of rows with field names, as {@code toChangelogStream} makes them. */
    private record NamedRowReader(String idColumn, String textColumn, List<String> metadataColumns)
            implements ChangelogRowReader<Row> {

        @Override
        public String idOf(Row row) {
            Object id = row.getField(idColumn);
            return id == null ? null : id.toString();
        }

        @Override
        public RowKind kindOf(Row row) {
            return row.getKind();
        }

        @Override
        public String textOf(Row row) {
            Object text = row.getField(textColumn);
            return text == null ? null : text.toString();
        }

        @Override
        public Map<String, String> metadataOf(Row row) {
            Map<String, String> metadata = new HashMap<>();
            Set<String> names = row.getFieldNames(true);
            for (String name : names) {
                boolean wanted = metadataColumns == null
                        ? !name.equals(idColumn) && !name.equals(textColumn)
                        : metadataColumns.contains(name);
                Object value = row.getField(name);
                if (wanted && value != null) {
                    metadata.put(name, value.toString());
                }
            }
            return metadata;
        }
    }
}
