package dev.flinkrag.embedding.openai;

import dev.flinkrag.common.Secret;
import dev.flinkrag.embedding.chat.ChatModelFactory;
import dev.flinkrag.embedding.chat.ChatModelOptions;
import dev.flinkrag.embedding.chat.ChatModelProvider;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/** {@code chat.provider = 'openai'}: any OpenAI-compatible {@code /v1/chat/completions} server. */
@Internal
public final class OpenAiChatModelFactory implements ChatModelFactory {

    @Override
    public Set<String> providers() {
        return Set.of("openai");
    }

    @Override
    public Set<ConfigOption<?>> supportedOptions() {
        return Set.copyOf(ChatModelOptions.PROVIDER_OPTIONS);
    }

    @Override
    public ChatModelProvider create(String provider, ReadableConfig options) {
        return new OpenAiChatModelProvider(
                options.get(ChatModelOptions.BASE_URL),
                options.get(ChatModelOptions.MODEL),
                Secret.fromOptions(options, ChatModelOptions.API_KEY, ChatModelOptions.API_KEY_ENV),
                options.getOptional(ChatModelOptions.TEMPERATURE).orElse(null),
                options.getOptional(ChatModelOptions.MAX_TOKENS).orElse(null),
                options.get(ChatModelOptions.TIMEOUT));
    }
}
