package dev.flinkrag.sink.table;

import dev.flinkrag.sink.BufferedWriteOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/** SQL options every vector sink connector shares: which columns hold text and vector, and how it flushes. */
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

    public static final ConfigOption<Integer> BUFFER_FLUSH_MAX_ROWS = ConfigOptions.key("sink.buffer-flush.max-rows")
            .intType()
            .defaultValue(BufferedWriteOptions.DEFAULTS.maxBufferedOperations())
            .withDescription("Buffered operations (after collapsing per id) that trigger a flush.");

    public static final ConfigOption<Duration> BUFFER_FLUSH_INTERVAL = ConfigOptions.key("sink.buffer-flush.interval")
            .durationType()
            .defaultValue(BufferedWriteOptions.DEFAULTS.flushInterval())
            .withDescription("The longest a change waits before it is written (and visible); every checkpoint "
                    + "also flushes.");

    public static final ConfigOption<Integer> MAX_RETRIES = ConfigOptions.key("sink.max-retries")
            .intType()
            .defaultValue(BufferedWriteOptions.DEFAULTS.maxRetries())
            .withDescription("Further attempts of a flush that failed transiently (lost connection, deadlock), "
                    + "with exponential backoff; then the job fails over.");

    public static final ConfigOption<Duration> RETRY_BACKOFF = ConfigOptions.key("sink.retry-backoff")
            .durationType()
            .defaultValue(BufferedWriteOptions.DEFAULTS.initialBackoff())
            .withDescription("First retry delay; it doubles per attempt up to 100 times this, with 25 % jitter.");

    private VectorSinkConnectorOptions() {}

    public static BufferedWriteOptions writeOptions(ReadableConfig options) {
        Duration backoff = options.get(RETRY_BACKOFF);
        return new BufferedWriteOptions(options.get(BUFFER_FLUSH_MAX_ROWS), options.get(BUFFER_FLUSH_INTERVAL),
                options.get(MAX_RETRIES), backoff, backoff.multipliedBy(100));
    }
}
