package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.time.Duration;

/**
 * When the buffered writer flushes and how it retries.
 *
 * @param maxBufferedOperations operations (after collapsing per id) that trigger a flush
 * @param flushInterval the longest a change waits before it is applied (and so visible)
 * @param maxRetries further attempts of a flush that failed transiently; then the job fails over
 * @param initialBackoff first retry delay; it doubles per attempt up to {@code maxBackoff}, with 25 % jitter
 * @param maxBackoff longest retry delay
 */
@PublicEvolving
public record BufferedWriteOptions(
        int maxBufferedOperations, Duration flushInterval, int maxRetries, Duration initialBackoff, Duration maxBackoff)
        implements Serializable {

    public static final BufferedWriteOptions DEFAULTS =
            new BufferedWriteOptions(1000, Duration.ofMillis(200), 5, Duration.ofMillis(100), Duration.ofSeconds(10));

    public BufferedWriteOptions {
        if (maxBufferedOperations < 1) {
            throw new IllegalArgumentException("maxBufferedOperations must be at least 1, was " + maxBufferedOperations);
        }
        if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be > 0, was " + flushInterval);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
        if (initialBackoff == null || maxBackoff == null || initialBackoff.isNegative()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "retry backoff must satisfy 0 <= initial <= max, was " + initialBackoff + ".." + maxBackoff);
        }
    }

    public BufferedWriteOptions withMaxBufferedOperations(int value) {
        return new BufferedWriteOptions(value, flushInterval, maxRetries, initialBackoff, maxBackoff);
    }

    public BufferedWriteOptions withFlushInterval(Duration value) {
        return new BufferedWriteOptions(maxBufferedOperations, value, maxRetries, initialBackoff, maxBackoff);
    }

    public BufferedWriteOptions withRetries(int retries, Duration initial, Duration max) {
        return new BufferedWriteOptions(maxBufferedOperations, flushInterval, retries, initial, max);
    }
}
