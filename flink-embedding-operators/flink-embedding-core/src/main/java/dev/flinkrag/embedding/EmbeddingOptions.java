package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * How the embedding operator groups texts into model calls, retries them and paces them. Build with
 * {@link #builder()} or read from string options with {@link #fromOptions(Map)} (keys in
 * {@link EmbeddingConfigOptions}); every setting has a default that suits the in-process model.
 */
@PublicEvolving
public final class EmbeddingOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final EmbeddingOptions DEFAULTS = builder().build();

    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final Duration linger;
    private final int maxConcurrentBatches;
    private final Duration timeout;
    private final long cacheMaxBytes;
    @Nullable private final String cacheDirectory;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final TokenLimitPolicy tokenLimitPolicy;
    private final int maxRequestsPerMinute;
    private final long maxTokensPerMinute;

    private EmbeddingOptions(Builder builder) {
        this.maxBatchSize = builder.maxBatchSize;
        this.maxBatchTokens = builder.maxBatchTokens;
        this.linger = builder.linger;
        this.maxConcurrentBatches = builder.maxConcurrentBatches;
        this.timeout = builder.timeout;
        this.cacheMaxBytes = builder.cacheMaxBytes;
        this.cacheDirectory = builder.cacheDirectory;
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.tokenLimitPolicy = builder.tokenLimitPolicy;
        this.maxRequestsPerMinute = builder.maxRequestsPerMinute;
        this.maxTokensPerMinute = builder.maxTokensPerMinute;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the {@code embedding.*} keys of {@link EmbeddingConfigOptions}; unknown {@code embedding.*} keys fail. */
    public static EmbeddingOptions fromOptions(Map<String, String> options) {
        EmbeddingConfigOptions.rejectUnknown(options);
        return fromConfiguration(Configuration.fromMap(options));
    }

    public static EmbeddingOptions fromConfiguration(ReadableConfig config) {
        return builder()
                .maxBatchSize(config.get(EmbeddingConfigOptions.BATCH_MAX_SIZE))
                .maxBatchTokens(config.get(EmbeddingConfigOptions.BATCH_MAX_TOKENS))
                .linger(config.get(EmbeddingConfigOptions.BATCH_LINGER))
                .maxConcurrentBatches(config.get(EmbeddingConfigOptions.MAX_CONCURRENT_BATCHES))
                .timeout(config.get(EmbeddingConfigOptions.TIMEOUT))
                .cacheMaxBytes(config.get(EmbeddingConfigOptions.CACHE_MAX_SIZE).getBytes())
                .cacheDirectory(config.getOptional(EmbeddingConfigOptions.CACHE_DIRECTORY).orElse(null))
                .retries(config.get(EmbeddingConfigOptions.RETRIES_MAX),
                        config.get(EmbeddingConfigOptions.RETRIES_INITIAL_BACKOFF),
                        config.get(EmbeddingConfigOptions.RETRIES_MAX_BACKOFF))
                .tokenLimitPolicy(config.get(EmbeddingConfigOptions.TOKEN_LIMIT_POLICY))
                .maxRequestsPerMinute(config.get(EmbeddingConfigOptions.RATE_LIMIT_REQUESTS_PER_MINUTE))
                .maxTokensPerMinute(config.get(EmbeddingConfigOptions.RATE_LIMIT_TOKENS_PER_MINUTE))
                .build();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxBatchSize(maxBatchSize)
                .maxBatchTokens(maxBatchTokens)
                .linger(linger)
                .maxConcurrentBatches(maxConcurrentBatches)
                .timeout(timeout)
                .cacheMaxBytes(cacheMaxBytes)
                .cacheDirectory(cacheDirectory)
                .retries(maxRetries, initialBackoff, maxBackoff)
                .tokenLimitPolicy(tokenLimitPolicy)
                .maxRequestsPerMinute(maxRequestsPerMinute)
                .maxTokensPerMinute(maxTokensPerMinute);
    }

    /** Texts per model call. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Tokens per model call, summed over its texts; 0 for no limit. */
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /** How long a partly filled batch waits for more texts before it is sent anyway. */
    public Duration linger() {
        return linger;
    }

    /** Model calls in flight at once per parallel instance. */
    public int maxConcurrentBatches() {
        return maxConcurrentBatches;
    }

    /** How long one record may take from arrival to result before the job fails over. */
    public Duration timeout() {
        return timeout;
    }

    /** Memory for already computed vectors per model and JVM; 0 turns the cache off. */
    public long cacheMaxBytes() {
        return cacheMaxBytes;
    }

    /** Where TaskManagers keep the cache on disk across restarts; {@code null} for memory only. */
    @Nullable
    public String cacheDirectory() {
        return cacheDirectory;
    }

    /** Further attempts of a model call that failed with a retryable error. */
    public int maxRetries() {
        return maxRetries;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** What happens to a text longer than the model reads. */
    public TokenLimitPolicy tokenLimitPolicy() {
        return tokenLimitPolicy;
    }

    /** Model calls per minute for the whole operator (shared evenly by its parallel instances); 0 for no limit. */
    public int maxRequestsPerMinute() {
        return maxRequestsPerMinute;
    }

    /** Tokens sent per minute for the whole operator (shared evenly by its parallel instances); 0 for no limit. */
    public long maxTokensPerMinute() {
        return maxTokensPerMinute;
    }

    /** Records the async operator may hold: enough for every in-flight batch plus one filling up. */
    public int asyncCapacity() {
        return maxBatchSize * (maxConcurrentBatches + 1);
    }

    @Override
    public String toString() {
        return "EmbeddingOptions{maxBatchSize=" + maxBatchSize + ", maxBatchTokens=" + maxBatchTokens
                + ", linger=" + linger + ", maxConcurrentBatches=" + maxConcurrentBatches + ", timeout=" + timeout
                + ", cacheMaxBytes=" + cacheMaxBytes + ", cacheDirectory=" + cacheDirectory + ", maxRetries=" + maxRetries + ", backoff=" + initialBackoff
                + ".." + maxBackoff + ", tokenLimitPolicy=" + tokenLimitPolicy + ", maxRequestsPerMinute="
                + maxRequestsPerMinute + ", maxTokensPerMinute=" + maxTokensPerMinute + "}";
    }

    /** Builds {@link EmbeddingOptions}; {@link #build()} rejects out-of-range values naming the setting. */
    public static final class Builder {
        private int maxBatchSize = EmbeddingConfigOptions.BATCH_MAX_SIZE.defaultValue();
        private int maxBatchTokens = EmbeddingConfigOptions.BATCH_MAX_TOKENS.defaultValue();
        private Duration linger = EmbeddingConfigOptions.BATCH_LINGER.defaultValue();
        private int maxConcurrentBatches = EmbeddingConfigOptions.MAX_CONCURRENT_BATCHES.defaultValue();
        private Duration timeout = EmbeddingConfigOptions.TIMEOUT.defaultValue();
        private long cacheMaxBytes = EmbeddingConfigOptions.CACHE_MAX_SIZE.defaultValue().getBytes();
        private String cacheDirectory;
        private int maxRetries = EmbeddingConfigOptions.RETRIES_MAX.defaultValue();
        private Duration initialBackoff = EmbeddingConfigOptions.RETRIES_INITIAL_BACKOFF.defaultValue();
        private Duration maxBackoff = EmbeddingConfigOptions.RETRIES_MAX_BACKOFF.defaultValue();
        private TokenLimitPolicy tokenLimitPolicy = EmbeddingConfigOptions.TOKEN_LIMIT_POLICY.defaultValue();
        private int maxRequestsPerMinute = EmbeddingConfigOptions.RATE_LIMIT_REQUESTS_PER_MINUTE.defaultValue();
        private long maxTokensPerMinute = EmbeddingConfigOptions.RATE_LIMIT_TOKENS_PER_MINUTE.defaultValue();

        private Builder() {}

        public Builder maxBatchSize(int value) {
            this.maxBatchSize = value;
            return this;
        }

        public Builder maxBatchTokens(int value) {
            this.maxBatchTokens = value;
            return this;
        }

        public Builder linger(Duration value) {
            this.linger = value;
            return this;
        }

        public Builder maxConcurrentBatches(int value) {
            this.maxConcurrentBatches = value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Builder cacheMaxBytes(long value) {
            this.cacheMaxBytes = value;
            return this;
        }

        public Builder cacheDirectory(@Nullable String directory) {
            this.cacheDirectory = directory;
            return this;
        }

        /** Exponential backoff from {@code initial} to {@code max} with 25 % jitter, unless the server says when. */
        public Builder retries(int max, Duration initial, Duration maxDelay) {
            this.maxRetries = max;
            this.initialBackoff = initial;
            this.maxBackoff = maxDelay;
            return this;
        }

        public Builder tokenLimitPolicy(TokenLimitPolicy value) {
            this.tokenLimitPolicy = value;
            return this;
        }

        public Builder maxRequestsPerMinute(int value) {
            this.maxRequestsPerMinute = value;
            return this;
        }

        public Builder maxTokensPerMinute(long value) {
            this.maxTokensPerMinute = value;
            return this;
        }

        public EmbeddingOptions build() {
            atLeast("maxBatchSize", maxBatchSize, 1);
            atLeast("maxBatchTokens", maxBatchTokens, 0);
            atLeast("maxConcurrentBatches", maxConcurrentBatches, 1);
            atLeast("cacheMaxBytes", cacheMaxBytes, 0);
            atLeast("maxRetries", maxRetries, 0);
            atLeast("maxRequestsPerMinute", maxRequestsPerMinute, 0);
            atLeast("maxTokensPerMinute", maxTokensPerMinute, 0);
            if (linger == null || linger.isNegative()) {
                throw new IllegalArgumentException("linger must be >= 0, was " + linger);
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
            }
            if (initialBackoff == null || maxBackoff == null || initialBackoff.isNegative()
                    || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("retry backoff must satisfy 0 <= initial <= max, was "
                        + initialBackoff + ".." + maxBackoff);
            }
            if (tokenLimitPolicy == null) {
                throw new IllegalArgumentException("tokenLimitPolicy must be set");
            }
            return new EmbeddingOptions(this);
        }

        private static void atLeast(String name, long value, long minimum) {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
            }
        }
    }
}
