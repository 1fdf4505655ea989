package dev.flinkrag.embedding.ollama;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.http.RetryAfterAwareHttpClient;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An Ollama server ({@code POST /api/embed}, many texts per request). LangChain4j's own retries are off: the
 * embedding operator retries with its policy.
 *
 * <p>Ollama cuts texts longer than the model's context without telling (its {@code truncate} parameter
 * defaults to true and LangChain4j does not expose it), and no tokenizer for Ollama's models is available
 * in the JVM: give {@code maxInputTokens} so chunkers size chunks below the model's context.
 */
@PublicEvolving
public final class OllamaModelProvider implements EmbeddingModelProvider {

    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String modelName;
    private final Duration timeout;
    @Nullable private final Integer maxInputTokens;

    public OllamaModelProvider(String baseUrl, String modelName, Duration timeout, @Nullable Integer maxInputTokens) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxInputTokens = maxInputTokens;
    }

    @Override
    public EmbeddingModel create() {
        return OllamaEmbeddingModel.builder()
                .baseUrl(baseUrl)
                .modelName(modelName)
                .timeout(timeout)
                .maxRetries(0)
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .build();
    }

    @Override
    public String modelId() {
        return "ollama:" + baseUrl + ":" + modelName;
    }

    @Override
    public OptionalInt maxInputTokens() {
        return maxInputTokens == null ? OptionalInt.empty() : OptionalInt.of(maxInputTokens);
    }

    @Override
    public String toString() {
        return "OllamaModelProvider{" + modelId() + "}";
    }
}
