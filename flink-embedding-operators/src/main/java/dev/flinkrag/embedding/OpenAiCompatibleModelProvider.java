package dev.flinkrag.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * Any server speaking OpenAI's {@code /v1/embeddings} protocol: OpenAI, Azure OpenAI, vLLM, llama.cpp's
 * server, LM Studio. The API key is given either directly or as the name of an environment variable read
 * on the TaskManager, and never appears in {@link #toString}, logs or exceptions of this class.
 * LangChain4j's own retries are off: the embedding operator retries with its policy.
 */
public final class OpenAiCompatibleModelProvider implements EmbeddingModelProvider {

    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String modelName;
    @Nullable private final String apiKey;
    @Nullable private final String apiKeyEnvironmentVariable;
    @Nullable private final Integer dimensions;
    private final Duration timeout;

    public OpenAiCompatibleModelProvider(String baseUrl, String modelName, @Nullable String apiKey,
            @Nullable String apiKeyEnvironmentVariable, @Nullable Integer dimensions, Duration timeout) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.apiKey = apiKey;
        this.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable;
        this.dimensions = dimensions;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public EmbeddingModel create() {
        return OpenAiEmbeddingModel.builder()
                .baseUrl(baseUrl)
                .modelName(modelName)
                .apiKey(resolveApiKey())
                .dimensions(dimensions)
                .timeout(timeout)
                .maxRetries(0)
                .build();
    }

    private String resolveApiKey() {
        if (apiKey != null) {
            return apiKey;
        }
        if (apiKeyEnvironmentVariable != null) {
            String value = System.getenv(apiKeyEnvironmentVariable);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("environment variable " + apiKeyEnvironmentVariable
                        + " (option 'model.api-key-env') is not set on this TaskManager");
            }
            return value;
        }
        // local servers (vLLM, llama.cpp) accept any key; OpenAI's client requires one
        return "no-key";
    }

    @Override
    public String modelId() {
        return "openai-compatible:" + baseUrl + ":" + modelName + (dimensions == null ? "" : ":" + dimensions);
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleModelProvider{" + modelId() + ", apiKey=" + (apiKey != null ? "<set>"
                : apiKeyEnvironmentVariable != null ? "$" + apiKeyEnvironmentVariable : "<none>") + "}";
    }
}
