package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.Objects;

/**
 * The embedding model an index's vectors come from: a store that keeps an {@link IndexState} records it, and a server
 * refuses to embed questions with another model, since vectors of two models make every search silently wrong. A
 * writer with another model is logged as an error naming both (it takes over the index's record).
 *
 * @param id the model's id ({@code EmbeddingModelProvider.modelId()}: equal ids give equal vectors)
 * @param dimension the size of its vectors
 */
@PublicEvolving
public record IndexedModel(String id, int dimension) implements Serializable {

    public IndexedModel {
        Objects.requireNonNull(id, "id");
        if (dimension <= 0) {
            throw new IllegalArgumentException("model " + id + " has " + dimension + " dimensions");
        }
    }

    /** Fails naming both models if {@code other} is not this one; {@code where} names the index. */
    public void requireSame(IndexedModel other, String where) {
        if (!equals(other)) {
            throw new IllegalStateException(mismatch(other, where));
        }
    }

    /** What is wrong when {@code where}, built with this model, is used with {@code other}. */
    public String mismatch(IndexedModel other, String where) {
        return where + " holds vectors of model '" + id + "' (" + dimension + " dimensions), not of model '"
                + other.id() + "' (" + other.dimension() + " dimensions): use the model the index was built with, or "
                + "build a new index for the new model";
    }

    @Override
    public String toString() {
        return "'" + id + "' (" + dimension + " dimensions)";
    }
}
