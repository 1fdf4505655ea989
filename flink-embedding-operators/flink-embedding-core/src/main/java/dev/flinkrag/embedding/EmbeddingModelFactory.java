package dev.flinkrag.embedding;

import org.apache.flink.annotation.Experimental;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Set;

/**
 * Creates {@link EmbeddingModelProvider}s for one or more values of {@code model.provider}. Implementations are
 * found with {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/dev.flinkrag.embedding.EmbeddingModelFactory}), so adding a model module to the
 * classpath is all it takes to use it from string options.
 */
@Experimental
public interface EmbeddingModelFactory {

    /** The values of {@code model.provider} this factory serves. */
    Set<String> providers();

    /** Options of {@link EmbeddingModelOptions} that must be given for this provider. */
    Set<ConfigOption<?>> requiredOptions();

    /** Options of {@link EmbeddingModelOptions} this provider also reads; any other {@code model.*} key is refused. */
    Set<ConfigOption<?>> optionalOptions();

    /** Called with options already checked against the two sets above. */
    EmbeddingModelProvider create(String provider, ReadableConfig options);
}
