package dev.flinkrag.embedding;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.OptionalInt;

/**
 * Creates the LangChain4j {@link EmbeddingModel} inside a Flink task.
 *
 * <p>Models are not serializable (they hold native sessions or HTTP clients), so Flink jobs ship this
 * small factory instead and each parallel instance builds its model in {@code open()}.
 */
@FunctionalInterface
@PublicEvolving
public interface EmbeddingModelProvider extends Serializable {

    EmbeddingModel create();

    /** Identifies the model for caches and metrics; two providers with the same id must produce equal vectors. */
    default String modelId() {
        return getClass().getName();
    }

    /**
     * The size of the model's vectors, if known without asking it; a pipeline hands it to the store. Every vector
     * the model returns is checked against the size it reports at run time.
     */
    default OptionalInt dimension() {
        return OptionalInt.empty();
    }

    /**
     * The most tokens of one text the model reads, if known. Longer texts are usually cut silently by the
     * model, so chunkers size their chunks to this.
     */
    default OptionalInt maxInputTokens() {
        return OptionalInt.empty();
    }

    /**
     * The model's own tokenizer, created inside the task, or {@code null} when it is not known. With one, the
     * embedding operator enforces {@link #maxInputTokens()} by its {@link TokenLimitPolicy} and counts tokens
     * exactly; without, token budgets are estimated and over-long texts are left to the model to refuse.
     */
    @Nullable
    default TokenCountEstimator createTokenCountEstimator() {
        return null;
    }
}
