package dev.flinkrag.embedding.openai;

import dev.flinkrag.common.Secret;
import dev.flinkrag.embedding.EmbeddingModelFactory;
import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/** {@code model.provider = 'openai'}: any OpenAI-compatible {@code /v1/embeddings} server. */
@Internal
public final class OpenAiModelFactory implements EmbeddingModelFactory {

    @Override
    public Set<String> providers() {
        return Set.of("openai");
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(EmbeddingModelOptions.BASE_URL, EmbeddingModelOptions.NAME);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(EmbeddingModelOptions.API_KEY, EmbeddingModelOptions.API_KEY_ENV, EmbeddingModelOptions.DIMENSIONS,
                EmbeddingModelOptions.MAX_INPUT_TOKENS, EmbeddingModelOptions.TIMEOUT);
    }

    @Override
    public EmbeddingModelProvider create(String provider, ReadableConfig options) {
        return new OpenAiCompatibleModelProvider(
                options.get(EmbeddingModelOptions.BASE_URL),
                options.get(EmbeddingModelOptions.NAME),
                Secret.fromOptions(options, EmbeddingModelOptions.API_KEY, EmbeddingModelOptions.API_KEY_ENV),
                options.get(EmbeddingModelOptions.DIMENSIONS),
                options.get(EmbeddingModelOptions.TIMEOUT),
                options.get(EmbeddingModelOptions.MAX_INPUT_TOKENS));
    }
}
