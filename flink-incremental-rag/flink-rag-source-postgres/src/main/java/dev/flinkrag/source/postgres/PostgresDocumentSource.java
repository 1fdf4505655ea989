package dev.flinkrag.source.postgres;

import dev.flinkrag.common.Secret;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.document.DocumentColumns;
import dev.flinkrag.postgres.PostgresConnectionOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.List;
import java.util.Map;

/**
 * The rows of a PostgreSQL documents table as document changes: first every row (a snapshot read page by page),
 * then every insert, update and delete as PostgreSQL's logical replication reports it ({@code pgoutput}, through
 * the PostgreSQL driver's replication API). The position is kept in Flink checkpoints and confirmed to the
 * replication slot only once a checkpoint completes, so a restore resumes exactly where the checkpoint stood.
 *
 * <pre>{@code
 * PostgresDocumentSource source = PostgresDocumentSource.builder()
 *         .url("jdbc:postgresql://db:5432/app").username("indexer").password(Secret.fromEnvironment("PGPASSWORD"))
 *         .table("public.documents").idColumn("id").textColumn("body")
 *         .slotName("flink_rag_documents")
 *         .build();
 * DataStream<DocumentChange> documents = env.fromSource(source, WatermarkStrategy.noWatermarks(), "documents");
 * }</pre>
 *
 * <p>Needs {@code wal_level=logical} on the server and a user with the {@code REPLICATION} attribute who owns the
 * table (to create the publication) — or a publication made beforehand. The id column must be the primary key
 * (or have a unique index and {@code REPLICA IDENTITY FULL}). Other columns become document metadata as
 * PostgreSQL prints them. A row whose text is NULL or whose values are not UTF-8 goes to the dead letters.
 *
 * <p>A job started without a checkpoint reads the whole table, then replays the slot from where it last
 * confirmed (a new slot: from its creation). Drop the slot ({@code SELECT pg_drop_replication_slot('…')}) when
 * the job is retired: a slot nobody reads keeps WAL on the server.
 */
@PublicEvolving
public final class PostgresDocumentSource implements Source<DocumentChange, ReplicationSplit, List<ReplicationSplit>> {

    private static final long serialVersionUID = 1L;

    private final PostgresSourceSettings settings;

    private PostgresDocumentSource(PostgresSourceSettings settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder set from the string options of {@link PostgresDocumentSourceOptions} ({@code url}, {@code username},
     * {@code password-env}, {@code table-name}, {@code slot.name}, …); an unknown key is refused, naming it.
     */
    public static Builder fromOptions(Map<String, String> options) {
        return PostgresDocumentSourceOptions.builder(options);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<DocumentChange, ReplicationSplit> createReader(SourceReaderContext context) {
        return PostgresSourceReader.create(settings, context);
    }

    @Override
    public SplitEnumerator<ReplicationSplit, List<ReplicationSplit>> createEnumerator(
            SplitEnumeratorContext<ReplicationSplit> context) {
        return new ReplicationEnumerator(context, List.of(ReplicationSplit.unstarted(settings.slotName)));
    }

    @Override
    public SplitEnumerator<ReplicationSplit, List<ReplicationSplit>> restoreEnumerator(
            SplitEnumeratorContext<ReplicationSplit> context, List<ReplicationSplit> pending) {
        return new ReplicationEnumerator(context, pending);
    }

    @Override
    public SimpleVersionedSerializer<ReplicationSplit> getSplitSerializer() {
        return new ReplicationSerializers.SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<ReplicationSplit>> getEnumeratorCheckpointSerializer() {
        return new ReplicationSerializers.PendingSplitsSerializer();
    }

    @Override
    public String toString() {
        return "PostgresDocumentSource{" + settings + "}";
    }

    /** {@code url}, {@code username}, {@code table} and {@code slotName} are required. */
    public static final class Builder {
        private String url;
        private String username;
        private Secret password;
        private String table;
        private String idColumn = DocumentColumns.ID_COLUMN.defaultValue();
        private String textColumn = DocumentColumns.TEXT_COLUMN.defaultValue();
        private List<String> metadataColumns;
        private String slotName;
        private String publicationName;
        private int snapshotFetchSize = 1_000;

        /** A PostgreSQL JDBC URL ({@code jdbc:postgresql://host:port/database}). */
        public Builder url(String value) {
            this.url = value;
            return this;
        }

        public Builder username(String value) {
            this.username = value;
            return this;
        }

        /** {@code Secret.fromEnvironment("PGPASSWORD")} reads it on the machines that run the job; never printed. */
        public Builder password(Secret value) {
            this.password = value;
            return this;
        }

        /** {@code table} or {@code schema.table}; {@code public} by default. */
        public Builder table(String value) {
            this.table = value;
            return this;
        }

        /** The document id column, unique; {@code id} by default. */
        public Builder idColumn(String column) {
            this.idColumn = column;
            return this;
        }

        /** The column holding the document's text; {@code text} by default. */
        public Builder textColumn(String column) {
            this.textColumn = column;
            return this;
        }

        /** The columns kept as metadata; by default every column but id and text. */
        public Builder metadataColumns(String... columns) {
            this.metadataColumns = List.of(columns);
            return this;
        }

        /** The replication slot (created if missing); one per job reading the table. */
        public Builder slotName(String value) {
            this.slotName = value;
            return this;
        }

        /** The publication (created for the table if missing); the slot name by default. */
        public Builder publicationName(String value) {
            this.publicationName = value;
            return this;
        }

        /** Rows per snapshot page (one query each); 1,000 by default. */
        public Builder snapshotFetchSize(int rows) {
            this.snapshotFetchSize = rows;
            return this;
        }

        public PostgresDocumentSource build() {
            PostgresConnectionOptions connection =
                    PostgresConnectionOptions.of("PostgresDocumentSource.builder()", url, username, password);
            requireSet("table", table);
            requireSet("slotName", slotName);
            if (snapshotFetchSize < 1) {
                throw new IllegalArgumentException("PostgresDocumentSource.builder().snapshotFetchSize(…) must be at "
                        + "least 1, was " + snapshotFetchSize);
            }
            return new PostgresDocumentSource(new PostgresSourceSettings(
                    connection, table, idColumn, textColumn, metadataColumns,
                    slotName,
                    publicationName == null ? slotName : publicationName, snapshotFetchSize));
        }

        private static void requireSet(String setter, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("PostgresDocumentSource.builder()." + setter + "(…) is required");
            }
        }
    }
}
