package dev.flinkrag.embedding.ollama;

import dev.flinkrag.embedding.EmbeddingModelFactory;
import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/** {@code model.provider = 'ollama'}: a model served by Ollama. */
@Internal
public final class OllamaModelFactory implements EmbeddingModelFactory {

    @Override
    public Set<String> providers() {
        return Set.of("ollama");
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(EmbeddingModelOptions.BASE_URL, EmbeddingModelOptions.NAME);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(EmbeddingModelOptions.MAX_INPUT_TOKENS, EmbeddingModelOptions.TIMEOUT);
    }

    @Override
    public EmbeddingModelProvider create(String provider, ReadableConfig options) {
        return new OllamaModelProvider(
                options.get(EmbeddingModelOptions.BASE_URL),
                options.get(EmbeddingModelOptions.NAME),
                options.get(EmbeddingModelOptions.TIMEOUT),
                options.get(EmbeddingModelOptions.MAX_INPUT_TOKENS));
    }
}
