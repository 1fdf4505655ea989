package dev.flinkrag.embedding;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends embedded records on and rejections to a side output (async functions cannot write side outputs). */
final class RejectionRouter<IN, OUT> extends ProcessFunction<Either<OUT, EmbeddingRejection<IN>>, OUT> {

    private static final long serialVersionUID = 1L;

    private final OutputTag<EmbeddingRejection<IN>> rejected;

    RejectionRouter(OutputTag<EmbeddingRejection<IN>> rejected) {
        this.rejected = rejected;
    }

    @Override
    public void processElement(Either<OUT, EmbeddingRejection<IN>> outcome, Context context, Collector<OUT> out) {
        if (outcome.isLeft()) {
            out.collect(outcome.left());
        } else {
            context.output(rejected, outcome.right());
        }
    }
}
