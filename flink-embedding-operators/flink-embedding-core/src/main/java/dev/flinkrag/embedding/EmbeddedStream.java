package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Either;

/** What {@link EmbeddingOperators#embed} adds to a job: the embedded records and the rejected ones. */
@PublicEvolving
public final class EmbeddedStream<IN, OUT> {

    private final SingleOutputStreamOperator<Either<OUT, EmbeddingRejection<IN>>> asyncStage;
    private final SingleOutputStreamOperator<OUT> embedded;
    private final DataStream<EmbeddingRejection<IN>> rejected;

    EmbeddedStream(SingleOutputStreamOperator<Either<OUT, EmbeddingRejection<IN>>> asyncStage,
            SingleOutputStreamOperator<OUT> embedded, DataStream<EmbeddingRejection<IN>> rejected) {
        this.asyncStage = asyncStage;
        this.embedded = embedded;
        this.rejected = rejected;
    }

    /** Records with their vectors (or passed through without one), in input order per parallel instance. */
    public SingleOutputStreamOperator<OUT> embedded() {
        return embedded;
    }

    /** The dead-letter output: records the model refused, with the reason. */
    public DataStream<EmbeddingRejection<IN>> rejected() {
        return rejected;
    }

    /**
     * Sets stable operator ids for savepoints: {@code uid} for the async stage, which holds the in-flight
     * records in its state, and {@code uid + "-route"} for the stateless router behind it.
     */
    public EmbeddedStream<IN, OUT> uid(String uid) {
        asyncStage.uid(uid);
        embedded.uid(uid + "-route");
        return this;
    }

    /** Sets the parallelism of both stages, which are chained. */
    public EmbeddedStream<IN, OUT> setParallelism(int parallelism) {
        asyncStage.setParallelism(parallelism);
        embedded.setParallelism(parallelism);
        return this;
    }
}
