package dev.flinkrag.source.changelog;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.document.DocumentColumns;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import java.io.IOException;
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
        return rows.keyBy(new DocumentKey(idColumn), Types.STRING)
                .process(new Versioning(idColumn, textColumn, metadataColumns), TypeInformation.of(DocumentChange.class))
                .name("document changelog")
                .uid("flink-rag-document-changelog");
    }

    /** The id column as text; rows without one are all keyed alike and dead-lettered downstream. */
    private static final class DocumentKey implements KeySelector<Row, String> {
        private static final long serialVersionUID = 1L;
        private final String idColumn;

        DocumentKey(String idColumn) {
            this.idColumn = idColumn;
        }

        @Override
        public String getKey(Row row) {
            Object id = row.getField(idColumn);
            return id == null ? "" : id.toString();
        }
    }

    /** Counts each document's rows into versions and maps rows to document changes. */
    private static final class Versioning extends KeyedProcessFunction<String, Row, DocumentChange> {
        private static final long serialVersionUID = 1L;
        private final String idColumn;
        private final String textColumn;
        private final List<String> metadataColumns;
        private transient ValueState<Long> version;

        Versioning(String idColumn, String textColumn, List<String> metadataColumns) {
            this.idColumn = idColumn;
            this.textColumn = textColumn;
            this.metadataColumns = metadataColumns;
        }

        @Override
        public void open(OpenContext openContext) {
            version = getRuntimeContext().getState(new ValueStateDescriptor<>("document-version", Types.LONG));
        }

        @Override
        public void processElement(Row row, Context context, Collector<DocumentChange> out) throws IOException {
            if (row.getKind() == RowKind.UPDATE_BEFORE) {
                return;
            }
            long next = (version.value() == null ? 0 : version.value()) + 1;
            version.update(next);
            String docId = context.getCurrentKey();
            long now = System.currentTimeMillis();
            if (docId.isEmpty()) {
                out.collect(DocumentChange.unreadable("changelog:NULL", next, "a row has a NULL column '"
                        + idColumn + "' (the document id): " + row, Map.of(), now));
            } else if (row.getKind() == RowKind.DELETE) {
                out.collect(DocumentChange.delete(docId, next, now));
            } else if (row.getField(textColumn) == null) {
                out.collect(DocumentChange.unreadable(docId, next, "document " + docId + ": column '" + textColumn
                        + "' is NULL", Map.of(), now));
            } else {
                out.collect(DocumentChange.upsert(docId, next, row.getField(textColumn).toString(), metadataOf(row)));
            }
        }

        private Map<String, String> metadataOf(Row row) {
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
