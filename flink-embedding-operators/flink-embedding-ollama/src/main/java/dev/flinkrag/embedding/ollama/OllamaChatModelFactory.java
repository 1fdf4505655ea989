package dev.flinkrag.embedding.ollama;

import dev.flinkrag.embedding.chat.ChatModelFactory;
import dev.flinkrag.embedding.chat.ChatModelOptions;
import dev.flinkrag.embedding.chat.ChatModelProvider;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/** {@code chat.provider = 'ollama'}: a chat model served by Ollama (which takes no API key). */
@Internal
public final class OllamaChatModelFactory implements ChatModelFactory {

    @Override
    public Set<String> providers() {
        return Set.of("ollama");
    }

    @Override
    public Set<ConfigOption<?>> supportedOptions() {
        return Set.of(ChatModelOptions.BASE_URL, ChatModelOptions.MODEL, ChatModelOptions.TEMPERATURE,
                ChatModelOptions.MAX_TOKENS, ChatModelOptions.TIMEOUT);
    }

    @Override
    public ChatModelProvider create(String provider, ReadableConfig options) {
        return new OllamaChatModelProvider(
                options.get(ChatModelOptions.BASE_URL),
                options.get(ChatModelOptions.MODEL),
                options.getOptional(ChatModelOptions.TEMPERATURE).orElse(null),
                options.getOptional(ChatModelOptions.MAX_TOKENS).orElse(null),
                options.get(ChatModelOptions.TIMEOUT));
    }
}
