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
 *   <tr><td>model.provider</td><td>{@code all-minilm-l6-v2-q} or {@code bge-small-en-v1.5-q} (in-process),
 *       {@code openai} (any OpenAI-compatible server) or {@code ollama}</td><td>all-minilm-l6-v2-q</td></tr>
 *   <tr><td>model.base-url</td><td>server URL, e.g. {@code https://api.openai.com/v1} or
 *       {@code http://localhost:11434}</td><td>required for openai and ollama</td></tr>
 *   <tr><td>model.name</td><td>model name on that server</td><td>required for openai and ollama</td></tr>
 *   <tr><td>model.api-key</td><td>API key (prefer model.api-key-env); openai only</td><td>none</td></tr>
 *   <tr><td>model.api-key-env</td><td>environment variable holding the API key on the TaskManagers;
 *       openai only</td><td>none</td></tr>
 *   <tr><td>model.dimensions</td><td>requested vector size, for models that can shorten vectors; openai
 *       only</td><td>the model's</td></tr>
 *   <tr><td>model.max-input-tokens</td><td>tokens the model reads per text, when the provider does not know
 *       it</td><td>known for the in-process and OpenAI models</td></tr>
 *   <tr><td>model.timeout</td><td>per-request timeout, in seconds</td><td>60</td></tr>
 * </table>
 */
public final class EmbeddingModels {

    private static final Set<String> KNOWN = Set.of("model.provider", "model.base-url", "model.name",
            "model.api-key", "model.api-key-env", "model.dimensions", "model.max-input-tokens", "model.timeout");
    private static final Set<String> SERVER_ONLY = Set.of("model.base-url", "model.name", "model.api-key",
            "model.api-key-env", "model.dimensions", "model.max-input-tokens", "model.timeout");
    private static final Set<String> OPENAI_ONLY = Set.of("model.api-key", "model.api-key-env", "model.dimensions");

    private EmbeddingModels() {}

    public static EmbeddingModelProvider fromOptions(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (key.startsWith("model.") && !KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: " + KNOWN);
            }
        }
        String provider = options.getOrDefault("model.provider", "all-minilm-l6-v2-q");
        return switch (provider) {
            case "all-minilm-l6-v2-q" -> inProcess(options, InProcessModels.allMiniLmL6V2Q());
            case "bge-small-en-v1.5-q" -> inProcess(options, InProcessModels.bgeSmallEnV15Q());
            case "openai" -> new OpenAiCompatibleModelProvider(
                    required(options, "model.base-url"),
                    required(options, "model.name"),
                    options.get("model.api-key"),
                    options.get("model.api-key-env"),
                    optionalPositive(options, "model.dimensions"),
                    timeout(options),
                    optionalPositive(options, "model.max-input-tokens"));
            case "ollama" -> {
                rejectPresent(options, OPENAI_ONLY, provider);
                yield new OllamaModelProvider(
                        required(options, "model.base-url"),
                        required(options, "model.name"),
                        timeout(options),
                        optionalPositive(options, "model.max-input-tokens"));
            }
            default -> throw new IllegalArgumentException("option 'model.provider' is '" + provider
                    + "'; supported: all-minilm-l6-v2-q, bge-small-en-v1.5-q, openai, ollama");
        };
    }

    private static EmbeddingModelProvider inProcess(Map<String, String> options, EmbeddingModelProvider provider) {
        rejectPresent(options, SERVER_ONLY, provider.modelId());
        return provider;
    }

    private static void rejectPresent(Map<String, String> options, Set<String> keys, String provider) {
        for (String key : keys) {
            if (options.containsKey(key)) {
                throw new IllegalArgumentException("option '" + key + "' does not apply to model.provider=" + provider);
            }
        }
    }

    private static Duration timeout(Map<String, String> options) {
        Integer seconds = optionalPositive(options, "model.timeout");
        return Duration.ofSeconds(seconds == null ? 60 : seconds);
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("option '" + key + "' is required for model.provider="
                    + options.get("model.provider"));
        }
        return value;
    }

    private static Integer optionalPositive(Map<String, String> options, String key) {
        if (!options.containsKey(key)) {
            return null;
        }
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
