package dev.flinkrag.embedding;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.RetryOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How the embedding operator groups texts into model calls, retries them and paces them. Every setting is one of
 * the {@code embedding.*} options below, set with {@link #builder()} or read from string options with
 * {@link #fromOptions(Map)}; each has a default that suits the in-process model.
 */
@PublicEvolving
public final class EmbeddingOptions implements Serializable {

    private static final long serialVersionUID = 2L;

    public static final ConfigOption<Integer> BATCH_MAX_SIZE = ConfigOptions.key("embedding.batch.max-size")
            .intType()
            .defaultValue(64)
            .withDescription("Texts per model call.");

    public static final ConfigOption<Integer> BATCH_MAX_TOKENS = ConfigOptions.key("embedding.batch.max-tokens")
            .intType()
            .defaultValue(0)
            .withDescription("Tokens per model call, summed over its texts (paid APIs cap this per request); "
                    + "0 for no limit. Counted with the model's tokenizer, or estimated as characters / 4 "
                    + "when the model has none.");

    public static final ConfigOption<Duration> BATCH_LINGER = ConfigOptions.key("embedding.batch.linger")
            .durationType()
            .defaultValue(Duration.ofMillis(20))
            .withDescription("How long a partly filled batch waits for more texts before it is sent anyway.");

    public static final ConfigOption<Integer> MAX_CONCURRENT_BATCHES =
            ConfigOptions.key("embedding.max-concurrent-batches")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Model calls in flight at once per parallel instance. For in-process "
                            + "models, the cores of a TaskManager divided by its slots.");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("embedding.timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How long one record may take from arrival to result, retries included, before "
                    + "the job fails over.");

    public static final ConfigOption<MemorySize> CACHE_MAX_SIZE = ConfigOptions.key("embedding.cache.max-size")
            .memoryType()
            .defaultValue(MemorySize.parse("64mb"))
            .withDescription("Memory for already computed vectors per model and JVM; 0 turns the cache off.");

    public static final ConfigOption<String> CACHE_DIRECTORY = ConfigOptions.key("embedding.cache.directory")
            .stringType()
            .noDefaultValue()
            .withDescription("A directory where each TaskManager also keeps the cache on disk, and reads what the "
                    + "others added, so a job restarted after a crash does not embed again what any TaskManager "
                    + "embedded since its last checkpoint. Not in Flink state: checkpoints stay small. Unset: "
                    + "memory only.");

    public static final ConfigOption<Integer> RETRIES_MAX = RetryOptions.maxRetriesOption("embedding", 8);

    /** A {@code Retry-After} header of the server takes precedence over this backoff. */
    public static final ConfigOption<Duration> RETRIES_INITIAL_BACKOFF =
            RetryOptions.initialBackoffOption("embedding", Duration.ofMillis(200));

    public static final ConfigOption<Duration> RETRIES_MAX_BACKOFF =
            RetryOptions.maxBackoffOption("embedding", Duration.ofSeconds(30));

    public static final ConfigOption<TokenLimitPolicy> TOKEN_LIMIT_POLICY =
            ConfigOptions.key("embedding.token-limit-policy")
                    .enumType(TokenLimitPolicy.class)
                    .defaultValue(TokenLimitPolicy.DEAD_LETTER)
                    .withDescription("A text longer than the model reads: DEAD_LETTER or TRUNCATE (cut at a word "
                            + "and counted).");

    public static final ConfigOption<Integer> RATE_LIMIT_REQUESTS_PER_MINUTE =
            ConfigOptions.key("embedding.rate-limit.requests-per-minute")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Model calls per minute for the whole operator, shared evenly by its "
                            + "parallel instances; 0 for no limit.");

    public static final ConfigOption<Long> RATE_LIMIT_TOKENS_PER_MINUTE =
            ConfigOptions.key("embedding.rate-limit.tokens-per-minute")
                    .longType()
                    .defaultValue(0L)
                    .withDescription("Tokens per minute for the whole operator, shared evenly by its parallel "
                            + "instances; 0 for no limit.");

    private static final OptionSpec SPEC = OptionSpec.of("EmbeddingOptions.builder()")
            .option(BATCH_MAX_SIZE, "maxBatchSize", value -> value >= 1, "at least 1")
            .option(BATCH_MAX_TOKENS, "maxBatchTokens", value -> value >= 0, "at least 0")
            .option(BATCH_LINGER, "linger", value -> !value.isNegative(), "at least 0")
            .option(MAX_CONCURRENT_BATCHES, "maxConcurrentBatches", value -> value >= 1, "at least 1")
            .option(TIMEOUT, "timeout", value -> !value.isNegative() && !value.isZero(), "positive")
            .option(CACHE_MAX_SIZE, "cacheMaxBytes")
            .option(CACHE_DIRECTORY, "cacheDirectory")
            .option(RETRIES_MAX, "retries", value -> value >= 0, "at least 0")
            .option(RETRIES_INITIAL_BACKOFF, "retries", value -> !value.isNegative() && !value.isZero(), "positive")
            .option(RETRIES_MAX_BACKOFF, "retries", value -> !value.isNegative() && !value.isZero(), "positive")
            .option(TOKEN_LIMIT_POLICY, "tokenLimitPolicy")
            .option(RATE_LIMIT_REQUESTS_PER_MINUTE, "maxRequestsPerMinute", value -> value >= 0, "at least 0")
            .option(RATE_LIMIT_TOKENS_PER_MINUTE, "maxTokensPerMinute", value -> value >= 0, "at least 0");

    public static final EmbeddingOptions DEFAULTS = builder().build();

    private final Configuration values;
    private final RetryOptions retries;

    private EmbeddingOptions(Configuration values, boolean setThroughBuilder) {
        SPEC.validate(values, setThroughBuilder);
        this.values = values;
        this.retries = new RetryOptions(values.get(RETRIES_MAX), values.get(RETRIES_INITIAL_BACKOFF),
                values.get(RETRIES_MAX_BACKOFF));
    }

    public static Builder builder() {
        return new Builder(new Configuration());
    }

    /** Reads the {@code embedding.*} options above; an unknown {@code embedding.*} key is refused, naming it. */
    public static EmbeddingOptions fromOptions(Map<String, String> options) {
        return new EmbeddingOptions(SPEC.fromMap(options, "embedding."), false);
    }

    public static EmbeddingOptions fromConfiguration(ReadableConfig config) {
        Configuration values = new Configuration();
        for (ConfigOption<?> option : SPEC.options()) {
            copy(config, values, option);
        }
        return new EmbeddingOptions(values, false);
    }

    /** Every {@code embedding.*} key. */
    public static Set<String> keys() {
        return SPEC.keys();
    }

    /** Every option above, for a SQL table factory's option list. */
    public static Set<ConfigOption<?>> options() {
        return SPEC.options();
    }

    public Builder toBuilder() {
        return new Builder(new Configuration(values));
    }

    /** Texts per model call. */
    public int maxBatchSize() {
        return values.get(BATCH_MAX_SIZE);
    }

    /** Tokens per model call, summed over its texts; 0 for no limit. */
    public int maxBatchTokens() {
        return values.get(BATCH_MAX_TOKENS);
    }

    /** How long a partly filled batch waits for more texts before it is sent anyway. */
    public Duration linger() {
        return values.get(BATCH_LINGER);
    }

    /** Model calls in flight at once per parallel instance. */
    public int maxConcurrentBatches() {
        return values.get(MAX_CONCURRENT_BATCHES);
    }

    /** How long one record may take from arrival to result before the job fails over. */
    public Duration timeout() {
        return values.get(TIMEOUT);
    }

    /** Memory for already computed vectors per model and JVM; 0 turns the cache off. */
    public long cacheMaxBytes() {
        return values.get(CACHE_MAX_SIZE).getBytes();
    }

    /** Where TaskManagers keep the cache on disk across restarts; {@code null} for memory only. */
    @Nullable
    public String cacheDirectory() {
        return values.getOptional(CACHE_DIRECTORY).orElse(null);
    }

    /** How a model call that failed with a retryable error is retried. */
    public RetryOptions retries() {
        return retries;
    }

    /** What happens to a text longer than the model reads. */
    public TokenLimitPolicy tokenLimitPolicy() {
        return values.get(TOKEN_LIMIT_POLICY);
    }

    /** Model calls per minute for the whole operator (shared evenly by its parallel instances); 0 for no limit. */
    public int maxRequestsPerMinute() {
        return values.get(RATE_LIMIT_REQUESTS_PER_MINUTE);
    }

    /** Tokens sent per minute for the whole operator (shared evenly by its parallel instances); 0 for no limit. */
    public long maxTokensPerMinute() {
        return values.get(RATE_LIMIT_TOKENS_PER_MINUTE);
    }

    /** Records the async operator may hold: enough for every in-flight batch plus one filling up. */
    public int asyncCapacity() {
        return maxBatchSize() * (maxConcurrentBatches() + 1);
    }

    @Override
    public String toString() {
        return "EmbeddingOptions" + values.toMap();
    }

    private static <T> void copy(ReadableConfig from, Configuration to, ConfigOption<T> option) {
        from.getOptional(option).ifPresent(value -> to.set(option, value));
    }

    /** Sets options one by one; unset ones keep their defaults. {@link #build()} names a bad setter. */
    public static final class Builder {
        private final Configuration values;

        private Builder(Configuration values) {
            this.values = values;
        }

        public Builder maxBatchSize(int value) {
            values.set(BATCH_MAX_SIZE, value);
            return this;
        }

        public Builder maxBatchTokens(int value) {
            values.set(BATCH_MAX_TOKENS, value);
            return this;
        }

        public Builder linger(Duration value) {
            values.set(BATCH_LINGER, value);
            return this;
        }

        public Builder maxConcurrentBatches(int value) {
            values.set(MAX_CONCURRENT_BATCHES, value);
            return this;
        }

        public Builder timeout(Duration value) {
            values.set(TIMEOUT, value);
            return this;
        }

        public Builder cacheMaxBytes(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("EmbeddingOptions.builder().cacheMaxBytes(…) must be at least 0, was "
                        + value);
            }
            values.set(CACHE_MAX_SIZE, new MemorySize(value));
            return this;
        }

        public Builder cacheDirectory(@Nullable String directory) {
            if (directory == null) {
                values.removeConfig(CACHE_DIRECTORY);
            } else {
                values.set(CACHE_DIRECTORY, directory);
            }
            return this;
        }

        /** Exponential backoff from {@code initial} to {@code maxDelay} with 25 % jitter, unless the server says when. */
        public Builder retries(int max, Duration initial, Duration maxDelay) {
            return retries(new RetryOptions(max, initial, maxDelay));
        }

        public Builder retries(RetryOptions retries) {
            values.set(RETRIES_MAX, retries.maxRetries());
            values.set(RETRIES_INITIAL_BACKOFF, retries.initialBackoff());
            values.set(RETRIES_MAX_BACKOFF, retries.maxBackoff());
            return this;
        }

        public Builder tokenLimitPolicy(TokenLimitPolicy value) {
            values.set(TOKEN_LIMIT_POLICY, value);
            return this;
        }

        public Builder maxRequestsPerMinute(int value) {
            values.set(RATE_LIMIT_REQUESTS_PER_MINUTE, value);
            return this;
        }

        public Builder maxTokensPerMinute(long value) {
            values.set(RATE_LIMIT_TOKENS_PER_MINUTE, value);
            return this;
        }

        public EmbeddingOptions build() {
            return new EmbeddingOptions(new Configuration(values), true);
        }
    }
}
