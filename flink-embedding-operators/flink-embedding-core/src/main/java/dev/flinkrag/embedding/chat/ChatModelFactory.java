package dev.flinkrag.embedding.chat;

import org.apache.flink.annotation.Experimental;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/**
 * Creates {@link ChatModelProvider}s for values of {@code chat.provider}; found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.flinkrag.embedding.chat.ChatModelFactory}), so a model module on the classpath is
 * all it takes.
 */
@Experimental
public interface ChatModelFactory {

    /** The values of {@code chat.provider} this factory serves. */
    Set<String> providers();

    /** Options of {@link ChatModelOptions#PROVIDER_OPTIONS} this provider reads; the others are refused. */
    Set<ConfigOption<?>> supportedOptions();

    /** Called with {@code chat.base-url} and {@code chat.model} given and every other key checked. */
    ChatModelProvider create(String provider, ReadableConfig options);
}
