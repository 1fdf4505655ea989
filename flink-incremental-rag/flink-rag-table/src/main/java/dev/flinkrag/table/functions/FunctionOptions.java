package dev.flinkrag.table.functions;

import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingModels;
import dev.flinkrag.embedding.EmbeddingOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code model.*} and {@code embedding.*} options the functions run with: the module's ({@code LOAD MODULE
 * flinkrag WITH (…)}), or none for a function created with {@code CREATE FUNCTION} (the in-process
 * all-MiniLM-L6-v2 and the embedding defaults). A function's model argument names another {@code model.provider}.
 */
@Internal
public final class FunctionOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> options;

    public FunctionOptions(Map<String, String> options) {
        this.options = new HashMap<>(options);
    }

    /** The configured model, or the one {@code provider} names with the same other options. */
    public EmbeddingModelProvider model(String provider) {
        Map<String, String> modelOptions = new HashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith("model.")) {
                modelOptions.put(key, value);
            }
        });
        if (provider != null) {
            modelOptions.put(EmbeddingModelOptions.PROVIDER.key(), provider);
        }
        return EmbeddingModels.fromOptions(modelOptions);
    }

    public EmbeddingOptions embedding() {
        return EmbeddingOptions.fromOptions(options);
    }

    /** Every option key the functions read, for the module factory. */
    public static java.util.Set<ConfigOption<?>> keys() {
        java.util.Set<ConfigOption<?>> keys = new java.util.HashSet<>(EmbeddingModelOptions.ALL);
        keys.addAll(EmbeddingOptions.options());
        return keys;
    }
}
