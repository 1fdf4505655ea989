package dev.flinkrag.embedding.openai;

import dev.flinkrag.common.Secret;
import dev.flinkrag.embedding.chat.ChatModelProvider;
import dev.flinkrag.embedding.http.RetryAfterAwareHttpClient;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * Chat models behind any OpenAI-compatible {@code /v1/chat/completions} server (OpenAI, Azure OpenAI, vLLM,
 * llama.cpp's server, LM Studio). LangChain4j's retries are off ({@code ChatClient} retries, honouring
 * {@code Retry-After}); the key is read when a client is created and never printed.
 */
@PublicEvolving
public final class OpenAiChatModelProvider implements ChatModelProvider {

    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String defaultModel;
    @Nullable private final Secret apiKey;
    @Nullable private final Double temperature;
    @Nullable private final Integer maxTokens;
    private final Duration timeout;

    public OpenAiChatModelProvider(String baseUrl, String defaultModel, @Nullable Secret apiKey,
            @Nullable Double temperature, @Nullable Integer maxTokens, Duration timeout) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.defaultModel = Objects.requireNonNull(defaultModel, "defaultModel");
        this.apiKey = apiKey;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public ChatModel create(String modelName) {
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl)
                .modelName(modelName)
                // local servers accept any key; OpenAI's client requires one
                .apiKey(apiKey == null ? "no-key" : apiKey.resolve("the API key (option 'chat.api-key-env')"))
                .temperature(temperature)
                .maxTokens(maxTokens)
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
        return "openai-compatible:" + baseUrl;
    }

    @Override
    public String toString() {
        return "OpenAiChatModelProvider{" + serverId() + ", apiKey=" + (apiKey == null ? "<none>" : apiKey) + "}";
    }
}
