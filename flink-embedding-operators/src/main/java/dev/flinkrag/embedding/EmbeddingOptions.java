package dev.flinkrag.embedding;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the embedding operator groups texts into model calls.
 *
 * @param maxBatchSize texts per {@code embedAll} call
 * @param linger how long a partly filled batch waits for more texts before it is sent anyway
 * @param maxConcurrentBatches model calls in flight at once per parallel instance
 * @param timeout how long one record may take from arrival to result before the job fails over
 * @param cacheMaxBytes memory for already computed vectors per model and JVM; 0 turns the cache off
 * @param maxRetries further attempts of a model call that failed with a retryable error (429, 5xx,
 *     timeouts, connection resets), with exponential backoff from {@code initialBackoff} to
 *     {@code maxBackoff} and 25 % jitter
 */
public record EmbeddingOptions(
        int maxBatchSize,
        Duration linger,
        int maxConcurrentBatches,
        Duration timeout,
        long cacheMaxBytes,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff)
        implements Serializable {

    public static final EmbeddingOptions DEFAULTS = new EmbeddingOptions(64, Duration.ofMillis(20), 2,
            Duration.ofMinutes(5), 64L * 1024 * 1024, 8, Duration.ofMillis(200), Duration.ofSeconds(30));

    public EmbeddingOptions {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
        }
        if (maxConcurrentBatches < 1) {
            throw new IllegalArgumentException(
                    "maxConcurrentBatches must be at least 1, was " + maxConcurrentBatches);
        }
        if (linger.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("linger must be >= 0 and timeout > 0");
        }
        if (maxRetries < 0 || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0 and 0 <= initialBackoff <= maxBackoff");
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + cacheMaxBytes);
        }
    }

    public EmbeddingOptions withMaxBatchSize(int size) {
        return new EmbeddingOptions(size, linger, maxConcurrentBatches, timeout, cacheMaxBytes, maxRetries,
                initialBackoff, maxBackoff);
    }

    public EmbeddingOptions withLinger(Duration value) {
        return new EmbeddingOptions(maxBatchSize, value, maxConcurrentBatches, timeout, cacheMaxBytes, maxRetries,
                initialBackoff, maxBackoff);
    }

    public EmbeddingOptions withMaxConcurrentBatches(int value) {
        return new EmbeddingOptions(maxBatchSize, linger, value, timeout, cacheMaxBytes, maxRetries,
                initialBackoff, maxBackoff);
    }

    public EmbeddingOptions withCacheMaxBytes(long bytes) {
        return new EmbeddingOptions(maxBatchSize, linger, maxConcurrentBatches, timeout, bytes, maxRetries,
                initialBackoff, maxBackoff);
    }

    public EmbeddingOptions withRetries(int retries, Duration initial, Duration max) {
        return new EmbeddingOptions(maxBatchSize, linger, maxConcurrentBatches, timeout, cacheMaxBytes, retries,
                initial, max);
    }

    /** Records the async operator may hold: enough for every in-flight batch plus one filling up. */
    int asyncCapacity() {
        return maxBatchSize * (maxConcurrentBatches + 1);
    }
}
