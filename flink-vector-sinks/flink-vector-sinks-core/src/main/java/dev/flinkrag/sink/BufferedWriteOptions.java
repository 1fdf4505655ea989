package dev.flinkrag.sink;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.RetryOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * When the buffered writer flushes and how it retries, for every store. The same options serve SQL tables
 * ({@link #OPTIONS}, read with {@link #fromConfiguration}) and the Java builders of the sinks.
 *
 * @param maxBufferedOperations operations (after collapsing per id) that trigger a flush
 * @param flushInterval the longest a change waits before it is applied (and so visible)
 * @param linger how long the buffer waits after the last change that arrived for more before it is applied; zero
 *     waits for the interval (a steady stream is applied by size or interval either way)
 * @param retries how a flush that failed transiently is retried; then the job fails over
 */
@PublicEvolving
public record BufferedWriteOptions(int maxBufferedOperations, Duration flushInterval, Duration linger,
        RetryOptions retries) implements Serializable {

    public static final ConfigOption<Integer> BUFFER_FLUSH_MAX_ROWS = ConfigOptions.key("sink.buffer-flush.max-rows")
            .intType()
            .defaultValue(1000)
            .withDescription("Buffered operations (after collapsing per id) that trigger a flush.");

    public static final ConfigOption<Duration> BUFFER_FLUSH_INTERVAL = ConfigOptions.key("sink.buffer-flush.interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("The longest a change waits before it is written (and visible); every checkpoint "
                    + "also flushes.");

    public static final ConfigOption<Duration> BUFFER_FLUSH_LINGER = ConfigOptions.key("sink.buffer-flush.linger")
            .durationType()
            .defaultValue(Duration.ofMillis(10))
            .withDescription("How long the buffer waits, after the last change that arrived, for more before it is "
                    + "written: a lone edit is visible at once, a steady stream is written by max-rows or the "
                    + "interval. 0 waits for the interval.");

    /** Transient failures are store-specific (a lost connection, a deadlock); Lucene has none. */
    public static final ConfigOption<Integer> RETRIES_MAX = RetryOptions.maxRetriesOption("sink", 5)
            .withDeprecatedKeys("sink.max-retries");

    public static final ConfigOption<Duration> RETRIES_INITIAL_BACKOFF =
            RetryOptions.initialBackoffOption("sink", Duration.ofMillis(100)).withDeprecatedKeys("sink.retry-backoff");

    public static final ConfigOption<Duration> RETRIES_MAX_BACKOFF =
            RetryOptions.maxBackoffOption("sink", Duration.ofSeconds(10));

    /** Every option above, for a table factory's optional options. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(BUFFER_FLUSH_MAX_ROWS, BUFFER_FLUSH_INTERVAL,
            BUFFER_FLUSH_LINGER, RETRIES_MAX, RETRIES_INITIAL_BACKOFF, RETRIES_MAX_BACKOFF);

    private static final OptionSpec SPEC = OptionSpec.of("BufferedWriteOptions")
            .option(BUFFER_FLUSH_MAX_ROWS, "maxBufferedOperations", rows -> rows >= 1, "at least 1")
            .option(BUFFER_FLUSH_INTERVAL, "flushInterval", interval -> !interval.isNegative() && !interval.isZero(),
                    "positive")
            .option(BUFFER_FLUSH_LINGER, "linger", linger -> !linger.isNegative(), "at least 0")
            .option(RETRIES_MAX, "retries", retries -> retries >= 0, "at least 0")
            .option(RETRIES_INITIAL_BACKOFF, "retries", backoff -> !backoff.isNegative() && !backoff.isZero(),
                    "positive")
            .option(RETRIES_MAX_BACKOFF, "retries", backoff -> !backoff.isNegative() && !backoff.isZero(), "positive");

    public static final BufferedWriteOptions DEFAULTS = new BufferedWriteOptions(BUFFER_FLUSH_MAX_ROWS.defaultValue(),
            BUFFER_FLUSH_INTERVAL.defaultValue(), BUFFER_FLUSH_LINGER.defaultValue(), new RetryOptions(RETRIES_MAX.defaultValue(),
                    RETRIES_INITIAL_BACKOFF.defaultValue(), RETRIES_MAX_BACKOFF.defaultValue()));

    public BufferedWriteOptions {
        if (maxBufferedOperations < 1) {
            throw new IllegalArgumentException("maxBufferedOperations must be at least 1, was " + maxBufferedOperations);
        }
        if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive, was " + flushInterval);
        }
        if (linger == null || linger.isNegative()) {
            throw new IllegalArgumentException("linger must be at least 0, was " + linger);
        }
        if (retries == null) {
            throw new IllegalArgumentException("retries must be set");
        }
    }

    /** The options above from a SQL table's options (or any configuration); a bad value names its key. */
    public static BufferedWriteOptions fromConfiguration(ReadableConfig options) {
        SPEC.validate(options, false);
        try {
            return new BufferedWriteOptions(options.get(BUFFER_FLUSH_MAX_ROWS), options.get(BUFFER_FLUSH_INTERVAL),
                    options.get(BUFFER_FLUSH_LINGER), new RetryOptions(options.get(RETRIES_MAX), options.get(RETRIES_INITIAL_BACKOFF),
                            options.get(RETRIES_MAX_BACKOFF)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("options 'sink.retries.*': " + e.getMessage(), e);
        }
    }

    public BufferedWriteOptions withMaxBufferedOperations(int value) {
        return new BufferedWriteOptions(value, flushInterval, linger, retries);
    }

    public BufferedWriteOptions withFlushInterval(Duration value) {
        return new BufferedWriteOptions(maxBufferedOperations, value, linger, retries);
    }

    public BufferedWriteOptions withLinger(Duration value) {
        return new BufferedWriteOptions(maxBufferedOperations, flushInterval, value, retries);
    }

    public BufferedWriteOptions withRetries(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
        return new BufferedWriteOptions(maxBufferedOperations, flushInterval, linger,
                new RetryOptions(maxRetries, initialBackoff, maxBackoff));
    }
}
