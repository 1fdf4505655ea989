package dev.flinkrag.embedding;

import dev.flinkrag.common.RetryOptions;

import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingOptionsTest {

    @Test
    void defaultsAreTheOptionsDefaults() {
        EmbeddingOptions defaults = EmbeddingOptions.DEFAULTS;
        assertThat(defaults.maxBatchSize()).isEqualTo(EmbeddingOptions.BATCH_MAX_SIZE.defaultValue());
        assertThat(defaults.linger()).isEqualTo(EmbeddingOptions.BATCH_LINGER.defaultValue());
        assertThat(defaults.cacheMaxBytes()).isEqualTo(EmbeddingOptions.CACHE_MAX_SIZE.defaultValue().getBytes());
        assertThat(defaults.cacheDirectory()).isNull();
        assertThat(defaults.retries()).isEqualTo(new RetryOptions(8, Duration.ofMillis(200), Duration.ofSeconds(30)));
        assertThat(defaults.tokenLimitPolicy()).isEqualTo(TokenLimitPolicy.DEAD_LETTER);
    }

    @Test
    void stringOptionsAreParsedWithUnitsAndUnknownKeysAreNamed() {
        EmbeddingOptions parsed = EmbeddingOptions.fromOptions(Map.of("embedding.batch.linger", "50 ms",
                "embedding.token-limit-policy", "truncate", "embedding.cache.max-size", "16mb",
                "embedding.retries.max", "2", "embedding.retries.initial-backoff", "1 s",
                "embedding.retries.max-backoff", "1 min", "other.key", "ignored"));
        assertThat(parsed.linger()).isEqualTo(Duration.ofMillis(50));
        assertThat(parsed.tokenLimitPolicy()).isEqualTo(TokenLimitPolicy.TRUNCATE);
        assertThat(parsed.cacheMaxBytes()).isEqualTo(16L << 20);
        assertThat(parsed.retries()).isEqualTo(new RetryOptions(2, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertThatThrownBy(() -> EmbeddingOptions.fromOptions(Map.of("embedding.batch.maxsize", "4")))
                .hasMessageContaining("unknown option 'embedding.batch.maxsize'")
                .hasMessageContaining("embedding.batch.max-size");
    }

    @Test
    void aBadValueNamesTheKeyInAMapAndTheSetterInTheBuilder() {
        assertThatThrownBy(() -> EmbeddingOptions.fromOptions(Map.of("embedding.batch.max-size", "0")))
                .hasMessage("option 'embedding.batch.max-size' must be at least 1, was '0'");
        assertThatThrownBy(() -> EmbeddingOptions.fromOptions(Map.of("embedding.timeout", "soon")))
                .hasMessageContaining("embedding.timeout");
        assertThatThrownBy(() -> EmbeddingOptions.builder().maxBatchSize(0).build())
                .hasMessage("EmbeddingOptions.builder().maxBatchSize(…) must be at least 1, was 0");
        assertThatThrownBy(() -> EmbeddingOptions.builder().timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout(…) must be positive");
        assertThatThrownBy(() -> EmbeddingOptions.builder().retries(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("0 < initial <= max");
    }

    @Test
    void toBuilderKeepsEverySettingAndTheOptionsShipWithAJob() throws Exception {
        EmbeddingOptions options = EmbeddingOptions.builder().maxBatchSize(7).cacheDirectory("/tmp/cache")
                .maxTokensPerMinute(1_000).build();
        EmbeddingOptions changed = options.toBuilder().linger(Duration.ofSeconds(1)).build();
        assertThat(changed.maxBatchSize()).isEqualTo(7);
        assertThat(changed.cacheDirectory()).isEqualTo("/tmp/cache");
        assertThat(changed.maxTokensPerMinute()).isEqualTo(1_000);
        assertThat(changed.linger()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.linger()).isEqualTo(EmbeddingOptions.BATCH_LINGER.defaultValue());
        EmbeddingOptions shipped = InstantiationUtil.clone(changed);
        assertThat(shipped.toString()).isEqualTo(changed.toString());
        assertThat(shipped.asyncCapacity()).isEqualTo(7 * (EmbeddingOptions.MAX_CONCURRENT_BATCHES.defaultValue() + 1));
    }
}
