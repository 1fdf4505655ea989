package dev.flinkrag.table.model;

import dev.flinkrag.table.functions.FunctionOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** The async runtime of a {@code flink-rag} embedding model (public: Flink's generated code instantiates it). */
@Internal
public final class EmbeddingAsyncPredictFunction extends AsyncPredictFunction {
    private static final long serialVersionUID = 1L;
    private final FunctionOptions options;
    private transient ModelEmbedder embedder;

    EmbeddingAsyncPredictFunction(FunctionOptions options) {
        this.options = options;
    }

    @Override
    public void open(FunctionContext context) {
        embedder = new ModelEmbedder(options, context);
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
        return embedder.embed(input);
    }

    @Override
    public void close() {
        if (embedder != null) {
            embedder.close();
        }
    }
}
