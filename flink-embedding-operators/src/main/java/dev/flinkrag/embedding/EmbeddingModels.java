package dev.flinkrag.embedding;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link EmbeddingModelProvider} from string options, as SQL {@code WITH (...)} clauses and job
 * configurations carry them.
 *
 * <table>
 *   <tr><th>option</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>model.provider</td><td>{@code all-minilm-l6-v2-q} (in-process) or {@code openai} (any
 *       OpenAI-compatible server)</td><td>all-minilm-l6-v2-q</td></tr>
 *   <tr><td>model.base-url</td><td>server URL, e.g. {@code https://api.openai.com/v1}</td><td>required for
 *       openai</td></tr>
 *   <tr><td>model.name</td><td>model name on that server</td><td>required for openai</td></tr>
 *   <tr><td>model.api-key</td><td>API key (prefer model.api-key-env)</td><td>none</td></tr>
 *   <tr><td>model.api-key-env</td><td>environment variable holding the API key on the TaskManagers</td>
 *       <td>none</td></tr>
 *   <tr><td>model.dimensions</td><td>requested vector size, for models that can shorten vectors</td>
 *       <td>the model's</td></tr>
 *   <tr><td>model.timeout</td><td>per-request timeout, in seconds</td><td>60</td></tr>
 * </table>
 */
public final class EmbeddingModels {

    private static final Set<String> KNOWN = Set.of("model.provider", "model.base-url", "model.name",
            "model.api-key", "model.api-key-env", "model.dimensions", "model.timeout");

    private EmbeddingModels() {}

    public static EmbeddingModelProvider fromOptions(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (key.startsWith("model.") && !KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: " + KNOWN);
            }
        }
        String provider = options.getOrDefault("model.provider", "all-minilm-l6-v2-q");
        return switch (provider) {
            case "all-minilm-l6-v2-q" -> InProcessModels.allMiniLmL6V2Q();
            case "openai" -> new OpenAiCompatibleModelProvider(
                    required(options, "model.base-url"),
                    required(options, "model.name"),
                    options.get("model.api-key"),
                    options.get("model.api-key-env"),
                    options.containsKey("model.dimensions") ? positive(options, "model.dimensions") : null,
                    Duration.ofSeconds(options.containsKey("model.timeout") ? positive(options, "model.timeout") : 60));
            default -> throw new IllegalArgumentException("option 'model.provider' is '" + provider
                    + "'; supported: all-minilm-l6-v2-q, openai");
        };
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("option '" + key + "' is required for model.provider="
                    + options.get("model.provider"));
        }
        return value;
    }

    private static int positive(Map<String, String> options, String key) {
        try {
            int value = Integer.parseInt(options.get(key).trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("option '" + key + "' must be a positive whole number, was '"
                + options.get(key) + "'");
    }
}
