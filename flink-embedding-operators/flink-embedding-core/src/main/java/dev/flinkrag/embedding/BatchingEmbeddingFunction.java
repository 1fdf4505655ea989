package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

import java.util.Collections;

/**
 * Embeds records through a LangChain4j {@link dev.langchain4j.model.embedding.EmbeddingModel}, many texts per model
 * call.
 *
 * <p>Run it with {@link EmbeddingOperators#embed}, which wraps it in Flink's <em>ordered</em> async
 * operator: results leave in arrival order whatever order the batches finish in, so a delete never
 * overtakes the insert of the same id. Records without text complete at once and wait only for the
 * records ahead of them. In-flight records are part of the operator's checkpoint and are re-sent after
 * a restore, so a batch that was still filling up is never lost. The operator's capacity bounds the
 * records held, so a slow model back-pressures the input instead of filling the heap.
 *
 * <p>{@link EmbeddingBatcher} gathers the texts into batches, serves texts already embedded from the cache and
 * sends no text twice; {@link ModelCaller} paces, retries and checks the calls. Each output is either the embedded
 * record ({@link Either#Left}) or an {@link EmbeddingRejection} ({@link Either#Right}) for the dead-letter
 * output. Metrics: see {@link EmbeddingMetrics}.
 */
@PublicEvolving
public class BatchingEmbeddingFunction<IN, OUT> extends RichAsyncFunction<IN, Either<OUT, EmbeddingRejection<IN>>> {

    private static final long serialVersionUID = 1L;

    private final EmbeddingModelProvider modelProvider;
    private final EmbeddingRequestMapper<IN, OUT> mapper;
    private final EmbeddingOptions options;

    private transient EmbeddingBatcher batcher;

    public BatchingEmbeddingFunction(
            EmbeddingModelProvider modelProvider, EmbeddingRequestMapper<IN, OUT> mapper, EmbeddingOptions options) {
        this.modelProvider = modelProvider;
        this.mapper = mapper;
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        batcher = new EmbeddingBatcher(modelProvider, options, getRuntimeContext().getMetricGroup(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    }

    @Override
    public void asyncInvoke(IN record, ResultFuture<Either<OUT, EmbeddingRejection<IN>>> resultFuture) {
        String text;
        try {
            text = mapper.textToEmbed(record);
            if (text == null) {
                OUT passed = mapper.withVector(record, null);
                batcher.passedThrough();
                resultFuture.complete(Collections.singletonList(Either.Left(passed)));
                return;
            }
        } catch (RuntimeException e) {
            // a mapper that cannot handle one record is that record's problem, not the job's
            batcher.rejectedUpFront();
            reject(record, resultFuture, "the request mapper failed: " + e);
            return;
        }
        batcher.submit(text, new EmbeddingBatcher.Outcome() {
            @Override
            public void embedded(float[] vector) {
                resultFuture.complete(Collections.singletonList(Either.Left(mapper.withVector(record, vector))));
            }

            @Override
            public void rejected(String reason) {
                reject(record, resultFuture, reason);
            }

            @Override
            public void failed(Throwable error) {
                resultFuture.completeExceptionally(error);
            }

            @Override
            public String describe() {
                return mapper.describe(record);
            }
        });
    }

    private void reject(IN record, ResultFuture<Either<OUT, EmbeddingRejection<IN>>> result, String reason) {
        result.complete(Collections.singletonList(
                Either.Right(new EmbeddingRejection<>(record, mapper.describe(record), reason, batcher.modelId()))));
    }

    @Override
    public void timeout(IN record, ResultFuture<Either<OUT, EmbeddingRejection<IN>>> resultFuture) {
        resultFuture.completeExceptionally(new EmbeddingException(
                "embedding " + mapper.describe(record) + " took longer than " + options.timeout()));
    }

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
    }
}
