package dev.flinkrag.sink.table;

import dev.flinkrag.sink.BufferedWriteOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;


/**
 * SQL options every vector sink connector shares: which columns hold text and vector. How it flushes and retries
 * are the {@link BufferedWriteOptions#OPTIONS}.
 */
@PublicEvolving
public final class VectorSinkConnectorOptions {

    public static final ConfigOption<String> TEXT_COLUMN = ConfigOptions.key("text-column")
            .stringType()
            .defaultValue("text")
            .withDescription("Column (STRING) with the embedded text. The PRIMARY KEY column is the id; every "
                    + "column other than id, text and vector is stored as metadata.");

    public static final ConfigOption<String> VECTOR_COLUMN = ConfigOptions.key("vector-column")
            .stringType()
            .defaultValue("embedding")
            .withDescription("Column (ARRAY<FLOAT> or ARRAY<DOUBLE>) with the vector. A NULL vector in an insert "
                    + "or update row updates text and metadata and keeps the stored vector.");

    private VectorSinkConnectorOptions() {}
}
