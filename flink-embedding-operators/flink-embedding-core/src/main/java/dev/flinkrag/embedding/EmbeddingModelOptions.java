package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/**
 * The {@code model.*} options that choose and configure an embedding model from string options, as SQL
 * {@code WITH (...)} clauses and job configurations carry them. Which of them a provider reads is up to its
 * {@link EmbeddingModelFactory}.
 */
@PublicEvolving
public final class EmbeddingModelOptions {

    public static final ConfigOption<String> PROVIDER = ConfigOptions.key("model.provider")
            .stringType()
            .defaultValue("all-minilm-l6-v2-q")
            .withDescription("all-minilm-l6-v2-q or bge-small-en-v1.5-q (in-process, module flink-embedding-onnx), "
                    + "openai (any OpenAI-compatible server, flink-embedding-openai) or ollama "
                    + "(flink-embedding-ollama).");

    public static final ConfigOption<String> BASE_URL = ConfigOptions.key("model.base-url")
            .stringType()
            .noDefaultValue()
            .withDescription("Server URL, e.g. https://api.openai.com/v1 or http://localhost:11434.");

    public static final ConfigOption<String> NAME = ConfigOptions.key("model.name")
            .stringType()
            .noDefaultValue()
            .withDescription("Model name on that server.");

    public static final ConfigOption<String> API_KEY = ConfigOptions.key("model.api-key")
            .stringType()
            .noDefaultValue()
            .withDescription("API key; prefer model.api-key-env, which keeps the key out of the job graph.");

    public static final ConfigOption<String> API_KEY_ENV = ConfigOptions.key("model.api-key-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the API key on the TaskManagers.");

    public static final ConfigOption<Integer> DIMENSIONS = ConfigOptions.key("model.dimensions")
            .intType()
            .noDefaultValue()
            .withDescription("Requested vector size, for models that can shorten their vectors; default the model's.");

    public static final ConfigOption<Integer> MAX_INPUT_TOKENS = ConfigOptions.key("model.max-input-tokens")
            .intType()
            .noDefaultValue()
            .withDescription("Tokens the model reads per text, when the provider does not know it; chunks are "
                    + "sized below it.");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("model.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("Timeout of one request to the model server.");

    /** Every {@code model.*} option. */
    public static final List<ConfigOption<?>> ALL =
            List.of(PROVIDER, BASE_URL, NAME, API_KEY, API_KEY_ENV, DIMENSIONS, MAX_INPUT_TOKENS, TIMEOUT);

    private EmbeddingModelOptions() {}
}
