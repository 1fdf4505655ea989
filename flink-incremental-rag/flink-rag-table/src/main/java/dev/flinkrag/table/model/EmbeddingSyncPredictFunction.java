package dev.flinkrag.table.model;

import dev.flinkrag.table.functions.FunctionOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

import java.util.Collection;
import java.util.concurrent.ExecutionException;

/** The sync runtime of a {@code flink-rag} embedding model: one row at a time, so no batching (prefer async). */
@Internal
public final class EmbeddingSyncPredictFunction extends PredictFunction {
    private static final long serialVersionUID = 1L;
    private final FunctionOptions options;
    private transient ModelEmbedder embedder;

    EmbeddingSyncPredictFunction(FunctionOptions options) {
        this.options = options;
    }

    @Override
    public void open(FunctionContext context) {
        embedder = new ModelEmbedder(options, context);
    }

    @Override
    public Collection<RowData> predict(RowData input) {
        try {
            return embedder.embed(input).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("embedding failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (embedder != null) {
            embedder.close();
        }
    }
}
