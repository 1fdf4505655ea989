package dev.flinkrag.embedding.chat;

import dev.flinkrag.embedding.ServiceFactories;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Builds a {@link ChatClient} from {@code chat.*} string options, with the {@link ChatModelFactory} that serves them. */
@PublicEvolving
public final class ChatModels {

    private static final Map<String, String> MODULES = Map.of(
            "openai", "flink-embedding-openai",
            "ollama", "flink-embedding-ollama");

    private ChatModels() {}

    /** The client the options describe; empty when {@code chat.provider} is not set. */
    public static Optional<ChatClient> fromOptions(Map<String, String> options) {
        Set<String> known = ChatModelOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (String key : options.keySet()) {
            if (key.startsWith("chat.") && !known.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: " + new TreeSet<>(known));
            }
        }
        Configuration config = Configuration.fromMap(options);
        Optional<String> chosen = config.getOptional(ChatModelOptions.PROVIDER).filter(name -> !name.isBlank());
        if (chosen.isEmpty()) {
            for (String key : options.keySet()) {
                if (key.startsWith("chat.")) {
                    throw new IllegalArgumentException("option '" + key + "' is set but 'chat.provider' is not");
                }
            }
            return Optional.empty();
        }
        String provider = chosen.get();
        Map<String, ChatModelFactory> factories = factories();
        ChatModelFactory factory = factories.get(provider);
        if (factory == null) {
            String module = MODULES.get(provider);
            throw new IllegalArgumentException("option 'chat.provider' is '" + provider + "'; " + (module != null
                    ? "it needs dev.flinkrag:" + module + " on the classpath"
                    : "supported: " + String.join(", ", new TreeSet<>(factories.keySet()))));
        }
        Set<String> unsupported = new HashSet<>();
        ChatModelOptions.PROVIDER_OPTIONS.forEach(option -> unsupported.add(option.key()));
        factory.supportedOptions().forEach(option -> unsupported.remove(option.key()));
        for (String key : options.keySet()) {
            if (unsupported.contains(key)) {
                throw new IllegalArgumentException("option '" + key + "' does not apply to chat.provider=" + provider);
            }
        }
        for (ConfigOption<String> required : List.of(ChatModelOptions.BASE_URL, ChatModelOptions.MODEL)) {
            String value = options.get(required.key());
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("option '" + required.key() + "' is required for chat.provider="
                        + provider);
            }
        }
        if (config.getOptional(ChatModelOptions.MAX_TOKENS).filter(tokens -> tokens <= 0).isPresent()) {
            throw new IllegalArgumentException("option 'chat.max-tokens' must be a positive whole number, was '"
                    + options.get(ChatModelOptions.MAX_TOKENS.key()) + "'");
        }
        ChatModelProvider models = factory.create(provider, config);
        return Optional.of(new ChatClient(models, config.get(ChatModelOptions.ALLOWED_MODELS),
                ChatModelOptions.retries(config)));
    }

    private static Map<String, ChatModelFactory> factories() {
        Map<String, ChatModelFactory> byProvider = new LinkedHashMap<>();
        for (ChatModelFactory factory : ServiceFactories.load(ChatModelFactory.class)) {
            factory.providers().forEach(name -> byProvider.putIfAbsent(name, factory));
        }
        return byProvider;
    }
}
