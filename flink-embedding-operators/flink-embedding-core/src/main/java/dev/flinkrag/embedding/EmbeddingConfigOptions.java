package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The string options of the embedding operator, as SQL {@code WITH (...)} clauses and job configurations carry them. */
@PublicEvolving
public final class EmbeddingConfigOptions {

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
            .withDescription("A local directory where each TaskManager also keeps the cache on disk, so a job "
                    + "restarted after a crash does not embed again what it embedded since its last checkpoint. "
                    + "Not in Flink state: checkpoints stay small. Unset: memory only.");

    public static final ConfigOption<Integer> RETRIES_MAX = ConfigOptions.key("embedding.retries.max")
            .intType()
            .defaultValue(8)
            .withDescription("Further attempts of a model call that failed with a retryable error (429, 5xx, "
                    + "408, timeouts, connection resets). When they run out the job fails over.");

    public static final ConfigOption<Duration> RETRIES_INITIAL_BACKOFF =
            ConfigOptions.key("embedding.retries.initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription("First retry delay; it doubles per attempt, with 25 % jitter. A "
                            + "Retry-After header of the server takes precedence.");

    public static final ConfigOption<Duration> RETRIES_MAX_BACKOFF =
            ConfigOptions.key("embedding.retries.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Longest retry delay the exponential backoff grows to.");

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

    private static final Set<String> KEYS = Arrays.stream(EmbeddingConfigOptions.class.getDeclaredFields())
            .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class)
            .map(EmbeddingConfigOptions::keyOf)
            .collect(Collectors.toCollection(TreeSet::new));

    private EmbeddingConfigOptions() {}

    /** Every key above. */
    public static Set<String> keys() {
        return KEYS;
    }

    static void rejectUnknown(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (key.startsWith("embedding.") && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: " + KEYS);
            }
        }
    }

    private static String keyOf(Field field) {
        try {
            return ((ConfigOption<?>) field.get(null)).key();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
