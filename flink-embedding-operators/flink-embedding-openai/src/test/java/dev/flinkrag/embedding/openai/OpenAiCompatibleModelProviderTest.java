package dev.flinkrag.embedding.openai;

import dev.flinkrag.common.Secret;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiCompatibleModelProviderTest {

    @Test
    void openAisOwnModelsHaveAKnownLimitAndTokenizer() {
        var provider = new OpenAiCompatibleModelProvider("https://api.openai.com/v1", "text-embedding-3-small",
                Secret.fromEnvironment("OPENAI_API_KEY"), null, Duration.ofSeconds(30));
        assertThat(provider.maxInputTokens()).hasValue(8191);
        assertThat(provider.createTokenCountEstimator().estimateTokenCountInText("Hello world, this is a test."))
                .isBetween(5, 10);
    }

    @Test
    void otherModelsTakeTheirLimitFromTheOptionAndHaveNoTokenizer() {
        var unknown = new OpenAiCompatibleModelProvider("http://localhost:8000/v1", "BAAI/bge-m3", null, null,
                Duration.ofSeconds(30));
        assertThat(unknown.maxInputTokens()).isEmpty();
        assertThat(unknown.createTokenCountEstimator()).isNull();
        var configured = new OpenAiCompatibleModelProvider("http://localhost:8000/v1", "BAAI/bge-m3", null, null,
                Duration.ofSeconds(30), 8192);
        assertThat(configured.maxInputTokens()).hasValue(8192);
    }
}
