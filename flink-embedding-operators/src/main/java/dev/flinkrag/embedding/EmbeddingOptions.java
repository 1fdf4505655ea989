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
 */
public record EmbeddingOptions(
        int maxBatchSize, Duration linger, int maxConcurrentBatches, Duration timeout, long cacheMaxBytes)
        implements Serializable {

    public static final EmbeddingOptions DEFAULTS =
            new EmbeddingOptions(32, Duration.ofMillis(20), 2, Duration.ofMinutes(5), 64L * 1024 * 1024);

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
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + cacheMaxBytes);
        }
    }

    public EmbeddingOptions withMaxBatchSize(int size) {
        return new EmbeddingOptions(size, linger, maxConcurrentBatches, timeout, cacheMaxBytes);
    }

    public EmbeddingOptions withLinger(Duration value) {
        return new EmbeddingOptions(maxBatchSize, value, maxConcurrentBatches, timeout, cacheMaxBytes);
    }

    public EmbeddingOptions withMaxConcurrentBatches(int value) {
        return new EmbeddingOptions(maxBatchSize, linger, value, timeout, cacheMaxBytes);
    }

    public EmbeddingOptions withCacheMaxBytes(long bytes) {
        return new EmbeddingOptions(maxBatchSize, linger, maxConcurrentBatches, timeout, bytes);
    }

    /** Records the async operator may hold: enough for every in-flight batch plus one filling up. */
    int asyncCapacity() {
        return maxBatchSize * (maxConcurrentBatches + 1);
    }
}
