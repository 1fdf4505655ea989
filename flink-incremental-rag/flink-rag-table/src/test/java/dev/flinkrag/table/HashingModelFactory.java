package dev.flinkrag.table;

import dev.flinkrag.embedding.EmbeddingModelFactory;
import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.testing.HashingEmbeddingModel;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/**
 * {@code 'model.provider' = 'hashing-test'}: the counting test model of the DataStream oracles, reachable from SQL
 * options. Without {@code model.name} each table gets a fresh model id, so its embedding cache starts empty; with
 * one, every function instance of that name shares the cache, as instances of a real model do.
 */
public final class HashingModelFactory implements EmbeddingModelFactory {

    public static final String PROVIDER = "hashing-test";

    /** A {@code model.name} starting with this gets a model that refuses one text in {@link #REFUSE_ONE_TEXT_IN}. */
    public static final String REFUSING = "refusing";
    public static final int REFUSE_ONE_TEXT_IN = 5;

    @Override
    public Set<String> providers() {
        return Set.of(PROVIDER);
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(EmbeddingModelOptions.NAME);
    }

    @Override
    public EmbeddingModelProvider create(String provider, ReadableConfig options) {
        return options.getOptional(EmbeddingModelOptions.NAME)
                .map(name -> HashingEmbeddingModel.modelProvider("hashing-test-" + name,
                        name.startsWith(REFUSING) ? REFUSE_ONE_TEXT_IN : 0))
                .orElseGet(HashingEmbeddingModel::modelProvider);
    }
}
