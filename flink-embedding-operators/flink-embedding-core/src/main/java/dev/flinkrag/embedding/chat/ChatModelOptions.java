package dev.flinkrag.embedding.chat;

import dev.flinkrag.common.RetryOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;
import java.util.List;

/**
 * The {@code chat.*} options that choose a chat model for answers: the server, its default model, the other models
 * a request may ask for, the key, and how failed calls are retried. Which of the provider options a provider reads is
 * up to its {@link ChatModelFactory}.
 */
@PublicEvolving
public final class ChatModelOptions {

    public static final ConfigOption<String> PROVIDER = ConfigOptions.key("chat.provider")
            .stringType()
            .noDefaultValue()
            .withDescription("openai (any OpenAI-compatible /v1/chat/completions server: OpenAI, vLLM, llama.cpp, LM "
                    + "Studio; module flink-embedding-openai) or ollama (/api/chat; flink-embedding-ollama). Unset: "
                    + "answers are extractive (the best-matching sentences of the context, labelled as such).");

    public static final ConfigOption<String> BASE_URL = ConfigOptions.key("chat.base-url")
            .stringType()
            .noDefaultValue()
            .withDescription("Server URL, e.g. https://api.openai.com/v1 or http://localhost:11434.");

    public static final ConfigOption<String> MODEL = ConfigOptions.key("chat.model")
            .stringType()
            .noDefaultValue()
            .withDescription("Model that answers requests which name none.");

    public static final ConfigOption<List<String>> ALLOWED_MODELS = ConfigOptions.key("chat.allowed-models")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Further models a request may name in its 'model' field (';'-separated); any other "
                    + "name is refused, so callers cannot run up costs on models nobody chose.");

    public static final ConfigOption<String> API_KEY = ConfigOptions.key("chat.api-key")
            .stringType()
            .noDefaultValue()
            .withDescription("API key; prefer chat.api-key-env, which keeps the key out of configurations.");

    public static final ConfigOption<String> API_KEY_ENV = ConfigOptions.key("chat.api-key-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the API key.");

    public static final ConfigOption<Double> TEMPERATURE = ConfigOptions.key("chat.temperature")
            .doubleType()
            .noDefaultValue()
            .withDescription("Sampling temperature; the model's default when unset.");

    public static final ConfigOption<Integer> MAX_TOKENS = ConfigOptions.key("chat.max-tokens")
            .intType()
            .noDefaultValue()
            .withDescription("Most tokens one answer may have; the model's default when unset.");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("chat.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(20))
            .withDescription("Timeout of one call to the chat server; a timed-out call is retried.");

    public static final ConfigOption<Integer> MAX_RETRIES = RetryOptions.maxRetriesOption("chat", 2);
    public static final ConfigOption<Duration> INITIAL_BACKOFF =
            RetryOptions.initialBackoffOption("chat", Duration.ofMillis(500));
    public static final ConfigOption<Duration> MAX_BACKOFF = RetryOptions.maxBackoffOption("chat", Duration.ofSeconds(5));

    /** The options a {@link ChatModelFactory} may read. */
    public static final List<ConfigOption<?>> PROVIDER_OPTIONS =
            List.of(BASE_URL, MODEL, API_KEY, API_KEY_ENV, TEMPERATURE, MAX_TOKENS, TIMEOUT);

    /** Every {@code chat.*} option. */
    public static final List<ConfigOption<?>> ALL = List.of(PROVIDER, BASE_URL, MODEL, ALLOWED_MODELS, API_KEY,
            API_KEY_ENV, TEMPERATURE, MAX_TOKENS, TIMEOUT, MAX_RETRIES, INITIAL_BACKOFF, MAX_BACKOFF);

    static RetryOptions retries(ReadableConfig options) {
        return new RetryOptions(options.get(MAX_RETRIES), options.get(INITIAL_BACKOFF), options.get(MAX_BACKOFF));
    }

    private ChatModelOptions() {}
}
