package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Either;
import org.apache.flink.util.OutputTag;

import java.util.concurrent.TimeUnit;

/** Entry point for adding an embedding stage to a DataStream job. */
@PublicEvolving
public final class EmbeddingOperators {

    private EmbeddingOperators() {}

    /**
     * Embeds every record that has text, keeping the order of records within each parallel instance, so
     * records that were keyed upstream (by chunk or document id) keep their per-key order. Records the model
     * refuses leave through {@link EmbeddedStream#rejected()} instead, also in order.
     */
    public static <IN, OUT> EmbeddedStream<IN, OUT> embed(
            DataStream<IN> input,
            EmbeddingModelProvider model,
            EmbeddingRequestMapper<IN, OUT> mapper,
            EmbeddingOptions options,
            TypeInformation<OUT> outputType) {
        TypeInformation<EmbeddingRejection<IN>> rejectionType = EmbeddingRejection.typeOf(input.getType());
        SingleOutputStreamOperator<Either<OUT, EmbeddingRejection<IN>>> outcomes = AsyncDataStream.orderedWait(
                        input,
                        new BatchingEmbeddingFunction<>(model, mapper, options),
                        options.timeout().toMillis(),
                        TimeUnit.MILLISECONDS,
                        options.asyncCapacity())
                .returns(new EitherTypeInfo<>(outputType, rejectionType))
                .name("embed [" + model.modelId() + "]");
        OutputTag<EmbeddingRejection<IN>> rejectedTag = new OutputTag<>("embedding-rejected", rejectionType);
        SingleOutputStreamOperator<OUT> embedded = outcomes
                .process(new RejectionRouter<>(rejectedTag), outputType)
                .name("route embedding rejections");
        return new EmbeddedStream<>(outcomes, embedded, embedded.getSideOutput(rejectedTag));
    }
}
