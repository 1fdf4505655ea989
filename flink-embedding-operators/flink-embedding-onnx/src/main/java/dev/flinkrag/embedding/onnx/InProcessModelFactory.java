package dev.flinkrag.embedding.onnx;

import dev.flinkrag.embedding.EmbeddingModelFactory;
import dev.flinkrag.embedding.EmbeddingModelProvider;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/** {@code model.provider = 'all-minilm-l6-v2-q'} or {@code 'bge-small-en-v1.5-q'}: in-process ONNX models, no options. */
@Internal
public final class InProcessModelFactory implements EmbeddingModelFactory {

    @Override
    public Set<String> providers() {
        return Set.of("all-minilm-l6-v2-q", "bge-small-en-v1.5-q");
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public EmbeddingModelProvider create(String provider, ReadableConfig options) {
        return provider.equals("bge-small-en-v1.5-q") ? InProcessModels.bgeSmallEnV15Q() : InProcessModels.allMiniLmL6V2Q();
    }
}
