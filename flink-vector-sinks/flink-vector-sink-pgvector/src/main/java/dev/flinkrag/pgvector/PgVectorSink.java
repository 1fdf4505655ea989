package dev.flinkrag.pgvector;

import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.sink.VectorStoreSink;

import org.apache.flink.annotation.PublicEvolving;

import java.time.Duration;

/**
 * Builds a Sink V2 that keeps a PostgreSQL + pgvector table in step with a stream of upserts and deletes:
 * one transaction per flush, flushed on size, on the flush interval and before every checkpoint; routed by
 * id, so any parallelism keeps each id's order.
 *
 * <pre>{@code
 * stream.sinkTo(PgVectorSink.<ChunkChange>builder()
 *         .url("jdbc:postgresql://db:5432/rag").username("rag").passwordFromEnvironment("PGPASSWORD")
 *         .table("chunks").dimension(384).createTable(true)
 *         .converter(new ChunkChangeConverter())
 *         .build());
 * }</pre>
 */
@PublicEvolving
public final class PgVectorSink {

    private PgVectorSink() {}

    public static <IN> Builder<IN> builder() {
        return new Builder<>();
    }

    /** Builds the sink; {@code url}, {@code username}, {@code table}, {@code dimension} and {@code converter} are required. */
    public static final class Builder<IN> {
        private String url;
        private String username;
        private String password;
        private String passwordEnvironmentVariable;
        private String table;
        private int dimension;
        private String idColumn = "id";
        private String textColumn = "text";
        private String metadataColumn = "metadata";
        private String vectorColumn = "embedding";
        private boolean createTable;
        private boolean hnswIndex = true;
        private PgVectorDistance distance = PgVectorDistance.COSINE;
        private int hnswM = 16;
        private int hnswEfConstruction = 64;
        private int maxMetadataBytes = 1 << 20;
        private String documentField = "doc_id";
        private BufferedWriteOptions write = BufferedWriteOptions.DEFAULTS;
        private VectorOperationConverter<IN> converter;

        public Builder<IN> url(String jdbcUrl) {
            this.url = jdbcUrl;
            return this;
        }

        public Builder<IN> username(String value) {
            this.username = value;
            return this;
        }

        /** The password itself; prefer {@link #passwordFromEnvironment}. Never printed. */
        public Builder<IN> password(String value) {
            this.password = value;
            return this;
        }

        /** An environment variable holding the password on the TaskManagers. */
        public Builder<IN> passwordFromEnvironment(String variable) {
            this.passwordEnvironmentVariable = variable;
            return this;
        }

        public Builder<IN> table(String name) {
            this.table = name;
            return this;
        }

        public Builder<IN> dimension(int value) {
            this.dimension = value;
            return this;
        }

        public Builder<IN> columns(String id, String text, String metadata, String vector) {
            this.idColumn = id;
            this.textColumn = text;
            this.metadataColumn = metadata;
            this.vectorColumn = vector;
            return this;
        }

        /** Creates the table (and, unless turned off, an HNSW index) when it does not exist. */
        public Builder<IN> createTable(boolean value) {
            this.createTable = value;
            return this;
        }

        public Builder<IN> hnswIndex(boolean create, PgVectorDistance metric, int m, int efConstruction) {
            this.hnswIndex = create;
            this.distance = metric;
            this.hnswM = m;
            this.hnswEfConstruction = efConstruction;
            return this;
        }

        public Builder<IN> maxMetadataBytes(int bytes) {
            this.maxMetadataBytes = bytes;
            return this;
        }

        /**
         * The metadata field naming each row's document ({@code doc_id} by default, as the incremental pipeline
         * writes it); a table the sink creates gets an index on it, {@code null} for none.
         */
        public Builder<IN> documentField(String field) {
            this.documentField = field;
            return this;
        }

        public Builder<IN> maxBufferedOperations(int operations) {
            this.write = write.withMaxBufferedOperations(operations);
            return this;
        }

        public Builder<IN> flushInterval(Duration interval) {
            this.write = write.withFlushInterval(interval);
            return this;
        }

        public Builder<IN> retries(int max, Duration initialBackoff, Duration maxBackoff) {
            this.write = write.withRetries(max, initialBackoff, maxBackoff);
            return this;
        }

        public Builder<IN> writeOptions(BufferedWriteOptions options) {
            this.write = options;
            return this;
        }

        public Builder<IN> converter(VectorOperationConverter<IN> value) {
            this.converter = value;
            return this;
        }

        public VectorStoreSink<IN> build() {
            if (converter == null) {
                throw new IllegalArgumentException("PgVectorSink: converter is required");
            }
            PgVectorOptions options = new PgVectorOptions(url, username, password, passwordEnvironmentVariable, table,
                    dimension, idColumn, textColumn, metadataColumn, vectorColumn, createTable, hnswIndex, distance,
                    hnswM, hnswEfConstruction, maxMetadataBytes, documentField);
            return new VectorStoreSink<>("pgvector table " + table, context -> new PgVectorWriter(options),
                    converter, write);
        }
    }
}
