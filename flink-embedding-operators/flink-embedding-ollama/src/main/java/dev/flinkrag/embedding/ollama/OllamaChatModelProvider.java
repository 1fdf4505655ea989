package dev.flinkrag.embedding.ollama;

import dev.flinkrag.embedding.chat.ChatModelProvider;
import dev.flinkrag.embedding.http.RetryAfterAwareHttpClient;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Objects;

/** Chat models served by Ollama ({@code POST /api/chat}, not streamed). LangChain4j's retries are off. */
@PublicEvolving
public final class OllamaChatModelProvider implements ChatModelProvider {

    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String defaultModel;
    @Nullable private final Double temperature;
    @Nullable private final Integer maxTokens;
    private final Duration timeout;

    public OllamaChatModelProvider(String baseUrl, String defaultModel, @Nullable Double temperature,
            @Nullable Integer maxTokens, Duration timeout) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.defaultModel = Objects.requireNonNull(defaultModel, "defaultModel");
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public ChatModel create(String modelName) {
        return OllamaChatModel.builder()
                .baseUrl(baseUrl)
                .modelName(modelName)
                .temperature(temperature)
                .numPredict(maxTokens)
                .timeout(timeout)
                .maxRetries(0)
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .build();
    }

    @Override
    public String defaultModel() {
        return defaultModel;
    }

    @Override
    public String serverId() {
        return "ollama:" + baseUrl;
    }

    @Override
    public String toString() {
        return "OllamaChatModelProvider{" + serverId() + "}";
    }
}
