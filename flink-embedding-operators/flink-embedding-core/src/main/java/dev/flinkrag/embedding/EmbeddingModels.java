package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds an {@link EmbeddingModelProvider} from the string options of {@link EmbeddingModelOptions}, with the
 * {@link EmbeddingModelFactory} on the classpath that serves {@code model.provider}.
 */
@PublicEvolving
public final class EmbeddingModels {

    /** The module that brings each provider this project ships, to name it when it is missing. */
    private static final Map<String, String> MODULES = Map.of(
            "all-minilm-l6-v2-q", "flink-embedding-onnx",
            "bge-small-en-v1.5-q", "flink-embedding-onnx",
            "openai", "flink-embedding-openai",
            "ollama", "flink-embedding-ollama");

    private EmbeddingModels() {}

    public static EmbeddingModelProvider fromOptions(Map<String, String> options) {
        Set<String> known = EmbeddingModelOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (String key : options.keySet()) {
            if (key.startsWith("model.") && !known.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: " + new TreeSet<>(known));
            }
        }
        Configuration config = Configuration.fromMap(options);
        String provider = config.get(EmbeddingModelOptions.PROVIDER);
        Map<String, EmbeddingModelFactory> factories = factories();
        EmbeddingModelFactory factory = factories.get(provider);
        if (factory == null) {
            String module = MODULES.get(provider);
            throw new IllegalArgumentException("option 'model.provider' is '" + provider + "'; " + (module != null
                    ? "it needs dev.flinkrag:" + module + " on the classpath"
                    : "supported: " + String.join(", ", new TreeSet<>(factories.keySet()))));
        }
        Set<String> accepted = new HashSet<>();
        accepted.add(EmbeddingModelOptions.PROVIDER.key());
        factory.requiredOptions().forEach(option -> accepted.add(option.key()));
        factory.optionalOptions().forEach(option -> accepted.add(option.key()));
        for (String key : options.keySet()) {
            if (key.startsWith("model.") && !accepted.contains(key)) {
                throw new IllegalArgumentException("option '" + key + "' does not apply to model.provider=" + provider);
            }
        }
        for (ConfigOption<?> option : EmbeddingModelOptions.ALL) {
            if (!factory.requiredOptions().contains(option)) {
                continue;
            }
            String value = options.get(option.key());
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("option '" + option.key() + "' is required for model.provider="
                        + provider);
            }
        }
        for (ConfigOption<Integer> count : List.of(EmbeddingModelOptions.DIMENSIONS,
                EmbeddingModelOptions.MAX_INPUT_TOKENS)) {
            if (options.containsKey(count.key()) && !isPositive(options.get(count.key()))) {
                throw new IllegalArgumentException("option '" + count.key() + "' must be a positive whole number, was '"
                        + options.get(count.key()) + "'");
            }
        }
        return factory.create(provider, config);
    }

    private static boolean isPositive(String value) {
        try {
            return Integer.parseInt(value.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, EmbeddingModelFactory> factories() {
        Map<String, EmbeddingModelFactory> byProvider = new LinkedHashMap<>();
        for (EmbeddingModelFactory factory : ServiceFactories.load(EmbeddingModelFactory.class)) {
            factory.providers().forEach(provider -> byProvider.putIfAbsent(provider, factory));
        }
        return byProvider;
    }
}
