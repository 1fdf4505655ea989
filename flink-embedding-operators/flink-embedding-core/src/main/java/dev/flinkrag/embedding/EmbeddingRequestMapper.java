package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Tells the embedding operator what to embed in a record and how to attach the result.
 *
 * @param <IN> the record entering the operator
 * @param <OUT> the record leaving it
 */
@PublicEvolving
public interface EmbeddingRequestMapper<IN, OUT> extends Serializable {

    /**
     * The text to embed, or {@code null} when the record needs no vector (a delete, a metadata-only
     * update): such records pass through without a model call, still in order.
     */
    @Nullable
    String textToEmbed(IN record);

    /** The output record; {@code vector} is {@code null} exactly when {@link #textToEmbed} was. */
    OUT withVector(IN record, @Nullable float[] vector);

    /** Names the record in errors, for example its chunk id. */
    default String describe(IN record) {
        return String.valueOf(record);
    }
}
