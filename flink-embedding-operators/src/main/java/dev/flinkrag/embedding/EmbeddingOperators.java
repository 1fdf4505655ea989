package dev.flinkrag.embedding;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.concurrent.TimeUnit;

/** Entry point for adding an embedding stage to a DataStream job. */
public final class EmbeddingOperators {

    private EmbeddingOperators() {}

    /**
     * Embeds every record that has text, keeping the order of records within each parallel instance, so
     * records that were keyed upstream (by chunk or document id) keep their per-key order.
     */
    public static <IN, OUT> SingleOutputStreamOperator<OUT> embed(
            DataStream<IN> input,
            EmbeddingModelProvider model,
            EmbeddingRequestMapper<IN, OUT> mapper,
            EmbeddingOptions options,
            TypeInformation<OUT> outputType) {
        return AsyncDataStream.orderedWait(
                        input,
                        new BatchingEmbeddingFunction<>(model, mapper, options),
                        options.timeout().toMillis(),
                        TimeUnit.MILLISECONDS,
                        options.asyncCapacity())
                .returns(outputType)
                .name("embed [" + model.modelId() + "]");
    }
}
