package dev.flinkrag.table.model;

import dev.flinkrag.embedding.EmbeddingBatcher;
import dev.flinkrag.table.functions.FunctionOptions;
import dev.flinkrag.table.functions.SharedBatchers;

import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What both predict functions do with a row: its text through the shared batcher, refusals logged and counted. */
final class ModelEmbedder {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEmbedder.class);

    private final EmbeddingBatcher batcher;
    private final Counter refused;

    ModelEmbedder(FunctionOptions options, FunctionContext context) {
        batcher = SharedBatchers.acquire(options.model(null), options.embedding(), context.getMetricGroup());
        refused = context.getMetricGroup().addGroup("mlPredict").counter("refused");
    }

    CompletableFuture<Collection<RowData>> embed(RowData input) {
        CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
        if (input.isNullAt(0)) {
            result.complete(List.of(GenericRowData.of((Object) null)));
            return result;
        }
        String text = input.getString(0).toString();
        batcher.submit(text, new EmbeddingBatcher.Outcome() {
            @Override
            public void embedded(float[] vector) {
                result.complete(List.of(GenericRowData.of(new GenericArrayData(vector))));
            }

            @Override
            public void rejected(String reason) {
                refused.inc();
                LOG.warn("ML_PREDICT gives a NULL vector for a text of {} characters: {}", text.length(), reason);
                result.complete(List.of(GenericRowData.of((Object) null)));
            }

            @Override
            public void failed(Throwable error) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    void close() {
        SharedBatchers.release(batcher);
    }
}
