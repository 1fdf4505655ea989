package dev.flinkrag.table.functions;

import dev.flinkrag.embedding.EmbeddingBatcher;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@link EmbeddingBatcher} per model and JVM for the SQL functions and model providers: Flink calls them once
 * per row, so the rows of every parallel instance in a TaskManager are gathered into the same batches (and the model
 * is loaded once). The first caller's options and metric group apply; the last release closes it.
 */
@Internal
public final class SharedBatchers {

    private record Shared(EmbeddingBatcher batcher, int users) {}

    private static final Map<String, Shared> BY_MODEL = new HashMap<>();

    private SharedBatchers() {}

    public static synchronized EmbeddingBatcher acquire(EmbeddingModelProvider model, EmbeddingOptions options,
            MetricGroup metrics) {
        Shared shared = BY_MODEL.get(model.modelId());
        if (shared == null) {
            shared = new Shared(new EmbeddingBatcher(model, options, metrics, 1), 0);
        }
        BY_MODEL.put(model.modelId(), new Shared(shared.batcher(), shared.users() + 1));
        return shared.batcher();
    }

    public static synchronized void release(EmbeddingBatcher batcher) {
        Shared shared = BY_MODEL.get(batcher.modelId());
        if (shared == null || shared.batcher() != batcher) {
            return;
        }
        if (shared.users() <= 1) {
            BY_MODEL.remove(batcher.modelId());
            batcher.close();
        } else {
            BY_MODEL.put(batcher.modelId(), new Shared(batcher, shared.users() - 1));
        }
    }
}
