package dev.flinkrag.pgvector;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.Secret;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.postgres.PostgresConnections;
import dev.flinkrag.postgres.SqlIdentifiers;
import dev.flinkrag.sink.table.VectorSinkConnectorOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * Which pgvector table the sink writes and the store reads, and how to reach it: the same options for both sides and
 * for SQL ({@code 'connector' = 'pgvector'} reads the keys below). Build with {@link #builder()}; every value is
 * checked in {@link Builder#build()}, so a bad name fails the job submission, naming the setter, not a running task.
 */
@PublicEvolving
public final class PgVectorOptions implements Serializable {

    private static final long serialVersionUID = 2L;

    public static final ConfigOption<String> TABLE_NAME = ConfigOptions.key("table-name")
            .stringType()
            .noDefaultValue()
            .withDescription("Table to write, 'table' or 'schema.table'; letters, digits and underscores only.");

    public static final ConfigOption<Integer> DIMENSION = ConfigOptions.key("dimension")
            .intType()
            .noDefaultValue()
            .withDescription("Vector size, 1 to 16000; an existing table must have a vector(dimension) column.");

    public static final ConfigOption<String> ID_COLUMN = ConfigOptions.key("id-column")
            .stringType()
            .defaultValue("id")
            .withDescription("Primary key column (text or uuid). In SQL, the table's PRIMARY KEY column.");

    /** The database's text column; in SQL also the Flink column, as in every vector sink. */
    public static final ConfigOption<String> TEXT_COLUMN = VectorSinkConnectorOptions.TEXT_COLUMN;

    public static final ConfigOption<String> METADATA_COLUMN = ConfigOptions.key("metadata-column")
            .stringType()
            .defaultValue("metadata")
            .withDescription("jsonb column that receives the metadata (in SQL: every column other than id, text "
                    + "and vector).");

    /** The database's vector column; in SQL also the Flink column, as in every vector sink. */
    public static final ConfigOption<String> VECTOR_COLUMN = VectorSinkConnectorOptions.VECTOR_COLUMN;

    public static final ConfigOption<Boolean> CREATE_TABLE = ConfigOptions.key("create-table")
            .booleanType()
            .defaultValue(false)
            .withDescription("Create the database table (id text primary key, text, metadata jsonb, vector) and "
                    + "its indexes when missing.");

    public static final ConfigOption<Boolean> HNSW_ENABLED = ConfigOptions.key("hnsw.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Create an HNSW index with a table created by 'create-table'.");

    public static final ConfigOption<PgVectorDistance> HNSW_DISTANCE = ConfigOptions.key("hnsw.distance")
            .enumType(PgVectorDistance.class)
            .defaultValue(PgVectorDistance.COSINE)
            .withDescription("Distance of the HNSW index and of searches: COSINE, L2 or INNER_PRODUCT.");

    public static final ConfigOption<Integer> HNSW_M = ConfigOptions.key("hnsw.m")
            .intType()
            .defaultValue(16)
            .withDescription("HNSW m (links per node), 2 to 100.");

    public static final ConfigOption<Integer> HNSW_EF_CONSTRUCTION = ConfigOptions.key("hnsw.ef-construction")
            .intType()
            .defaultValue(64)
            .withDescription("HNSW ef_construction, 4 to 1000 and at least 2 * hnsw.m.");

    public static final ConfigOption<Boolean> TEXT_INDEX_ENABLED = ConfigOptions.key("text-index.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Create a GIN full-text index on the text column (configuration 'simple') with a table "
                    + "created by 'create-table'; hybrid searches use it.");

    public static final ConfigOption<MemorySize> METADATA_MAX_SIZE = ConfigOptions.key("metadata.max-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse("1mb"))
            .withDescription("Largest metadata JSON accepted per row; a larger one fails the job naming the id.");

    public static final ConfigOption<String> DOCUMENT_FIELD = ConfigOptions.key("document-field")
            .stringType()
            .defaultValue("doc_id")
            .withDescription("Metadata field naming each row's document, as the incremental pipeline writes it; a "
                    + "table created by 'create-table' gets an index on it, so document retains find a document's "
                    + "rows fast. Empty for none.");

    public static final ConfigOption<String> DOCUMENTS_TABLE = ConfigOptions.key("documents-table")
            .stringType()
            .defaultValue("")
            .withDescription("Table of document records, one row per document (its metadata and its chunk ids in "
                    + "order), written by the incremental pipeline and joined by searches; empty for "
                    + "'<table-name>_documents'. Created by 'create-table'.");

    /** Every table option above (the connection's are {@link PostgresConnectionOptions}'s). */
    public static final List<ConfigOption<?>> TABLE_OPTIONS = List.of(TABLE_NAME, DIMENSION, ID_COLUMN, TEXT_COLUMN,
            METADATA_COLUMN, VECTOR_COLUMN, CREATE_TABLE, HNSW_ENABLED, HNSW_DISTANCE, HNSW_M, HNSW_EF_CONSTRUCTION,
            TEXT_INDEX_ENABLED, METADATA_MAX_SIZE, DOCUMENT_FIELD, DOCUMENTS_TABLE);

    private static final OptionSpec SPEC = OptionSpec.of("PgVectorOptions.builder()")
            .required(TABLE_NAME, "table", SqlIdentifiers::isTableName,
                    "'table' or 'schema.table', each " + SqlIdentifiers.NAME_RULE)
            .option(DIMENSION, "dimension", value -> value >= 1 && value <= 16_000, "between 1 and 16000")
            .option(ID_COLUMN, "columns", SqlIdentifiers::isName, SqlIdentifiers.NAME_RULE)
            .option(TEXT_COLUMN, "columns", SqlIdentifiers::isName, SqlIdentifiers.NAME_RULE)
            .option(METADATA_COLUMN, "columns", SqlIdentifiers::isName, SqlIdentifiers.NAME_RULE)
            .option(VECTOR_COLUMN, "columns", SqlIdentifiers::isName, SqlIdentifiers.NAME_RULE)
            .option(CREATE_TABLE, "createTable")
            .option(HNSW_ENABLED, "hnswIndex")
            .option(HNSW_DISTANCE, "hnswIndex")
            .option(HNSW_M, "hnswIndex", value -> value >= 2 && value <= 100, "between 2 and 100")
            .option(HNSW_EF_CONSTRUCTION, "hnswIndex", value -> value >= 4 && value <= 1000, "between 4 and 1000")
            .option(TEXT_INDEX_ENABLED, "textIndex")
            .option(METADATA_MAX_SIZE, "maxMetadataBytes",
                    value -> value.getBytes() >= 2 && value.getBytes() <= Integer.MAX_VALUE, "between 2 bytes and 2 gb")
            .option(DOCUMENT_FIELD, "documentField",
                    value -> value.isEmpty() || value.matches("[A-Za-z_][A-Za-z0-9_]{0,40}"),
                    "letters, digits and underscores (at most 41), starting with a letter or underscore")
            .option(DOCUMENTS_TABLE, "documentsTable", value -> value.isEmpty() || SqlIdentifiers.isTableName(value),
                    "'table' or 'schema.table', each " + SqlIdentifiers.NAME_RULE);

    private final PostgresConnectionOptions connection;
    private final Configuration values;

    private PgVectorOptions(PostgresConnectionOptions connection, Configuration values, boolean setThroughBuilder) {
        SPEC.validate(values, setThroughBuilder);
        if (values.get(HNSW_EF_CONSTRUCTION) < 2 * values.get(HNSW_M)) {
            throw new IllegalArgumentException((setThroughBuilder ? "PgVectorOptions.builder().hnswIndex(…)"
                    : "option 'hnsw.ef-construction'") + " must be at least 2 * hnsw.m, was "
                    + values.get(HNSW_EF_CONSTRUCTION) + " with m " + values.get(HNSW_M));
        }
        this.connection = connection;
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The connection and table options of a SQL table (or a job's arguments); a bad value names its key. */
    public static PgVectorOptions fromConfiguration(ReadableConfig options) {
        Configuration values = new Configuration();
        for (ConfigOption<?> option : TABLE_OPTIONS) {
            copy(options, values, option);
        }
        return new PgVectorOptions(PostgresConnectionOptions.fromConfiguration(options), values, false);
    }

    public PostgresConnectionOptions connection() {
        return connection;
    }

    public String jdbcUrl() {
        return connection.url();
    }

    public String table() {
        return values.get(TABLE_NAME);
    }

    /** The vector size; see {@link #hasDimension()}. */
    public int dimension() {
        requireDimension();
        return values.get(DIMENSION);
    }

    /** Whether a dimension is set: a pipeline gives its model's to options that have none. */
    public boolean hasDimension() {
        return values.getOptional(DIMENSION).isPresent();
    }

    /** These options with {@code dimension}, if they have none. */
    public PgVectorOptions withDimension(int dimension) {
        if (hasDimension()) {
            return this;
        }
        Configuration copy = new Configuration(values);
        copy.set(DIMENSION, dimension);
        return new PgVectorOptions(connection, copy, true);
    }

    void requireDimension() {
        if (!hasDimension()) {
            throw new IllegalStateException("PgVectorOptions.builder().dimension(…) (option 'dimension') is required "
                    + "to write or read table " + table() + "; a pipeline's sinkTo(…) sets its model's");
        }
    }

    public String idColumn() {
        return values.get(ID_COLUMN);
    }

    public String textColumn() {
        return values.get(TEXT_COLUMN);
    }

    public String metadataColumn() {
        return values.get(METADATA_COLUMN);
    }

    public String vectorColumn() {
        return values.get(VECTOR_COLUMN);
    }

    public boolean createTable() {
        return values.get(CREATE_TABLE);
    }

    public boolean hnswIndex() {
        return values.get(HNSW_ENABLED);
    }

    public PgVectorDistance distance() {
        return values.get(HNSW_DISTANCE);
    }

    public int hnswM() {
        return values.get(HNSW_M);
    }

    public int hnswEfConstruction() {
        return values.get(HNSW_EF_CONSTRUCTION);
    }

    public boolean textIndex() {
        return values.get(TEXT_INDEX_ENABLED);
    }

    public int maxMetadataBytes() {
        return (int) values.get(METADATA_MAX_SIZE).getBytes();
    }

    /** The metadata field naming each row's document, or {@code null} for none. */
    @Nullable
    public String documentField() {
        String field = values.get(DOCUMENT_FIELD);
        return field.isEmpty() ? null : field;
    }

    /** The table of document records: option 'documents-table', or the table's name + {@code _documents}. */
    public String documentsTable() {
        String table = values.get(DOCUMENTS_TABLE);
        return table.isEmpty() ? table() + "_documents" : table;
    }

    /** User, password (if any) and the name the connection shows in pg_stat_activity. */
    Properties connectionProperties(String applicationName) {
        return PostgresConnections.properties(connection.username(), connection.password(), applicationName);
    }

    Connection connect(Properties properties) throws SQLException {
        return PostgresConnections.connect(connection.url(), properties);
    }

    @Override
    public String toString() {
        return "PgVectorOptions{" + connection + ", " + values.toMap() + "}";
    }

    private static <T> void copy(ReadableConfig from, Configuration to, ConfigOption<T> option) {
        from.getOptional(option).ifPresent(value -> to.set(option, value));
    }

    /** {@code url}, {@code username} and {@code table} are required; {@code dimension} to write or read without a pipeline. */
    public static final class Builder {
        private final Configuration values = new Configuration();
        private String url;
        private String username;
        private Secret password;

        private Builder() {}

        /** e.g. {@code jdbc:postgresql://db:5432/rag}. */
        public Builder url(String jdbcUrl) {
            this.url = jdbcUrl;
            return this;
        }

        public Builder username(String value) {
            this.username = value;
            return this;
        }

        /** {@code Secret.fromEnvironment("PGPASSWORD")} keeps the password out of the job graph. */
        public Builder password(Secret value) {
            this.password = value;
            return this;
        }

        /** {@code table} or {@code schema.table}. */
        public Builder table(String name) {
            values.set(TABLE_NAME, name);
            return this;
        }

        public Builder dimension(int value) {
            values.set(DIMENSION, value);
            return this;
        }

        public Builder columns(String id, String text, String metadata, String vector) {
            values.set(ID_COLUMN, id);
            values.set(TEXT_COLUMN, text);
            values.set(METADATA_COLUMN, metadata);
            values.set(VECTOR_COLUMN, vector);
            return this;
        }

        /** Creates the table (and, unless turned off, an HNSW index) when it does not exist. */
        public Builder createTable(boolean value) {
            values.set(CREATE_TABLE, value);
            return this;
        }

        public Builder hnswIndex(boolean create, PgVectorDistance metric, int m, int efConstruction) {
            values.set(HNSW_ENABLED, create);
            values.set(HNSW_DISTANCE, metric);
            values.set(HNSW_M, m);
            values.set(HNSW_EF_CONSTRUCTION, efConstruction);
            return this;
        }

        /** With {@code createTable}: a full-text index for hybrid searches (on by default). */
        public Builder textIndex(boolean create) {
            values.set(TEXT_INDEX_ENABLED, create);
            return this;
        }

        public Builder maxMetadataBytes(int bytes) {
            values.set(METADATA_MAX_SIZE, new MemorySize(Math.max(0, bytes)));
            return this;
        }

        /** The metadata field naming each row's document ({@code doc_id} by default); {@code null} for none. */
        public Builder documentField(@Nullable String field) {
            values.set(DOCUMENT_FIELD, field == null ? "" : field);
            return this;
        }

        /** The table of document records ({@code <table>_documents} by default). */
        public Builder documentsTable(String table) {
            values.set(DOCUMENTS_TABLE, table);
            return this;
        }

        public PgVectorOptions build() {
            return new PgVectorOptions(PostgresConnectionOptions.of("PgVectorOptions.builder()", url, username, password),
                    new Configuration(values), true);
        }
    }
}
