package dev.flinkrag.pgvector.table;

import dev.flinkrag.pgvector.PgVectorDistance;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** The options of {@code 'connector' = 'pgvector'}; the shared ones are in {@code VectorSinkConnectorOptions}. */
@PublicEvolving
public final class PgVectorConnectorOptions {

    public static final ConfigOption<String> URL = ConfigOptions.key("url")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC URL of the database, e.g. jdbc:postgresql://db:5432/rag.");

    public static final ConfigOption<String> TABLE_NAME = ConfigOptions.key("table-name")
            .stringType()
            .noDefaultValue()
            .withDescription("Table to write, 'table' or 'schema.table'; letters, digits and underscores only.");

    public static final ConfigOption<String> USERNAME = ConfigOptions.key("username")
            .stringType()
            .noDefaultValue()
            .withDescription("Database user.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("password")
            .stringType()
            .noDefaultValue()
            .withDescription("Database password (prefer 'password-env'); never logged.");

    public static final ConfigOption<String> PASSWORD_ENV = ConfigOptions.key("password-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the password on the TaskManagers.");

    public static final ConfigOption<Integer> DIMENSION = ConfigOptions.key("dimension")
            .intType()
            .noDefaultValue()
            .withDescription("Vector size; an existing table must have a vector(dimension) column.");

    public static final ConfigOption<String> METADATA_COLUMN = ConfigOptions.key("metadata-column")
            .stringType()
            .defaultValue("metadata")
            .withDescription("jsonb column of the database table that receives the metadata columns.");

    public static final ConfigOption<Boolean> CREATE_TABLE = ConfigOptions.key("create-table")
            .booleanType()
            .defaultValue(false)
            .withDescription("Create the database table (id text primary key, text, metadata jsonb, vector) and "
                    + "its HNSW index when missing.");

    public static final ConfigOption<Boolean> HNSW_ENABLED = ConfigOptions.key("hnsw.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Create an HNSW index with a table created by 'create-table'.");

    public static final ConfigOption<PgVectorDistance> HNSW_DISTANCE = ConfigOptions.key("hnsw.distance")
            .enumType(PgVectorDistance.class)
            .defaultValue(PgVectorDistance.COSINE)
            .withDescription("Distance of the HNSW index: COSINE, L2 or INNER_PRODUCT.");

    public static final ConfigOption<Integer> HNSW_M = ConfigOptions.key("hnsw.m")
            .intType()
            .defaultValue(16)
            .withDescription("HNSW m (links per node), 2 to 100.");

    public static final ConfigOption<Integer> HNSW_EF_CONSTRUCTION = ConfigOptions.key("hnsw.ef-construction")
            .intType()
            .defaultValue(64)
            .withDescription("HNSW ef_construction, 4 to 1000 and at least 2 * hnsw.m.");

    public static final ConfigOption<MemorySize> METADATA_MAX_SIZE = ConfigOptions.key("metadata.max-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse("1mb"))
            .withDescription("Largest metadata JSON accepted per row; a larger one fails the job naming the id.");

    private PgVectorConnectorOptions() {}
}
