package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.util.Map;

/**
 * A record the embedding operator could not embed and left out of its main output: the model refused its
 * text (a 4xx about the input, a vector of the wrong dimension, NaN), or the text is over the model's token
 * limit under {@link TokenLimitPolicy#DEAD_LETTER}. Failures that are not about one text are never
 * rejections: retryable ones are retried and, like a wrong key or model name, fail the job when they
 * persist, so no record is lost.
 *
 * @param record the input record, unchanged, to re-send once the cause is fixed
 * @param description the record as {@link EmbeddingRequestMapper#describe} names it (e.g. its chunk id)
 * @param reason what went wrong
 * @param modelId the model that was asked
 */
@PublicEvolving
public record EmbeddingRejection<IN>(IN record, String description, String reason, String modelId) {

    /** Flink's type for rejections of records of {@code recordType}, so no generic (Kryo) serializer is used. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <IN> TypeInformation<EmbeddingRejection<IN>> typeOf(TypeInformation<IN> recordType) {
        return (TypeInformation) Types.POJO(EmbeddingRejection.class, Map.of(
                "record", recordType,
                "description", Types.STRING,
                "reason", Types.STRING,
                "modelId", Types.STRING));
    }
}
