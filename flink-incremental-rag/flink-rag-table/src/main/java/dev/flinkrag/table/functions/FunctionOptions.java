package dev.flinkrag.table.functions;

import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingModels;
import dev.flinkrag.embedding.EmbeddingOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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

    /**
     * Options a module or a model declares, checked now (a bad value or an unknown {@code model.*} key fails the
     * statement, naming {@code owner}), not when a task opens.
     */
    public static FunctionOptions checked(Map<String, String> options, String owner) {
        FunctionOptions checked = new FunctionOptions(options);
        try {
            checked.model(null);
            checked.embedding();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(owner + ": " + e.getMessage(), e);
        }
        return checked;
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
    public static Set<ConfigOption<?>> keys() {
        Set<ConfigOption<?>> keys = new HashSet<>(EmbeddingModelOptions.ALL);
        keys.addAll(EmbeddingOptions.options());
        return keys;
    }
}
