package dev.flinkrag.table.model;

import dev.flinkrag.embedding.EmbeddingBatcher;
import dev.flinkrag.table.functions.FunctionOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/**
 * The runtime of a {@code flink-rag} embedding model, sync and async: each row's text goes through the JVM's shared
 * {@link EmbeddingBatcher} for the model, so the rows in flight are embedded in batched calls and a text embedded
 * before costs no call. A NULL text, or one the model refuses, gives a NULL vector (refusals logged and counted,
 * {@code mlPredict.refused}); a failure that is no text's fault fails the job.
 */
@Internal
final class EmbeddingPredictProvider implements PredictRuntimeProvider, AsyncPredictRuntimeProvider {

    private final FunctionOptions options;

    EmbeddingPredictProvider(FunctionOptions options) {
        this.options = options;
    }

    @Override
    public PredictFunction createPredictFunction(Context context) {
        return new EmbeddingSyncPredictFunction(options);
    }

    @Override
    public AsyncPredictFunction createAsyncPredictFunction(Context context) {
        return new EmbeddingAsyncPredictFunction(options);
    }

    @Override
    public ModelProvider copy() {
        return new EmbeddingPredictProvider(options);
    }
}
