package dev.flinkrag.embedding.openai;

import dev.flinkrag.common.Secret;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.http.RetryAfterAwareHttpClient;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiTokenCountEstimator;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Any server speaking OpenAI's {@code /v1/embeddings} protocol: OpenAI, Azure OpenAI, vLLM, llama.cpp's
 * server, LM Studio. The API key is given either directly or as the name of an environment variable read
 * on the TaskManager, and never appears in {@link #toString}, logs or exceptions of this class.
 * LangChain4j's own retries are off: the embedding operator retries with its policy, honouring the
 * server's {@code Retry-After} (read by {@link RetryAfterAwareHttpClient}).
 *
 * <p>OpenAI's own embedding models are known: 8,191 input tokens, counted with their tokenizer (cl100k), so
 * the operator's token-limit policy applies before a request is sent. For any other model name give
 * {@code maxInputTokens} if you know it (chunkers size chunks to it); the server refuses longer texts, and
 * those records go to the dead-letter output.
 */
@PublicEvolving
public final class OpenAiCompatibleModelProvider implements EmbeddingModelProvider {

    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String modelName;
    @Nullable private final Secret apiKey;
    @Nullable private final Integer dimensions;
    private final Duration timeout;
    @Nullable private final Integer maxInputTokens;

    /** OpenAI's own embedding models and their vector sizes (without {@code dimensions}). */
    private static final Map<String, Integer> OPENAI_MODELS = Map.of(
            "text-embedding-3-small", 1536, "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536);
    private static final int OPENAI_MAX_INPUT_TOKENS = 8191;

    public OpenAiCompatibleModelProvider(String baseUrl, String modelName, @Nullable Secret apiKey,
            @Nullable Integer dimensions, Duration timeout) {
        this(baseUrl, modelName, apiKey, dimensions, timeout, null);
    }

    /** @param apiKey {@code Secret.fromEnvironment("OPENAI_API_KEY")} reads it on the TaskManager; {@code null} for none */
    public OpenAiCompatibleModelProvider(String baseUrl, String modelName, @Nullable Secret apiKey,
            @Nullable Integer dimensions, Duration timeout,
            @Nullable Integer maxInputTokens) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.apiKey = apiKey;
        this.dimensions = dimensions;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxInputTokens = maxInputTokens;
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
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .build();
    }

    /** The requested {@code dimensions}, else the size of OpenAI's own models; other servers' models do not say. */
    @Override
    public OptionalInt dimension() {
        if (dimensions != null) {
            return OptionalInt.of(dimensions);
        }
        Integer known = OPENAI_MODELS.get(modelName);
        return known == null ? OptionalInt.empty() : OptionalInt.of(known);
    }

    @Override
    public OptionalInt maxInputTokens() {
        if (maxInputTokens != null) {
            return OptionalInt.of(maxInputTokens);
        }
        return isOpenAiModel() ? OptionalInt.of(OPENAI_MAX_INPUT_TOKENS) : OptionalInt.empty();
    }

    @Override
    @Nullable
    public TokenCountEstimator createTokenCountEstimator() {
        return isOpenAiModel() ? new OpenAiTokenCountEstimator(modelName) : null;
    }

    private boolean isOpenAiModel() {
        return OPENAI_MODELS.containsKey(modelName);
    }

    private String resolveApiKey() {
        // local servers (vLLM, llama.cpp) accept any key; OpenAI's client requires one
        return apiKey == null ? "no-key" : apiKey.resolve("the API key (option 'model.api-key-env')");
    }

    @Override
    public String modelId() {
        return "openai-compatible:" + baseUrl + ":" + modelName + (dimensions == null ? "" : ":" + dimensions);
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleModelProvider{" + modelId() + ", apiKey=" + (apiKey == null ? "<none>" : apiKey) + "}";
    }
}
