package dev.flinkrag.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Embeds records through a LangChain4j {@link EmbeddingModel}, many texts per model call.
 *
 * <p>Run it with {@link EmbeddingOperators#embed}, which wraps it in Flink's <em>ordered</em> async
 * operator: results leave in arrival order whatever order the batches finish in, so a delete never
 * overtakes the insert of the same id. Records without text complete at once and wait only for the
 * records ahead of them. In-flight records are part of the operator's checkpoint and are re-sent after
 * a restore, so a batch that was still filling up is never lost.
 */
public class BatchingEmbeddingFunction<IN, OUT> extends RichAsyncFunction<IN, OUT> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingEmbeddingFunction.class);

    private final EmbeddingModelProvider modelProvider;
    private final EmbeddingRequestMapper<IN, OUT> mapper;
    private final EmbeddingOptions options;

    private transient EmbeddingModel model;
    private transient ScheduledExecutorService executor;
    private transient List<Pending<IN, OUT>> filling;
    private transient ScheduledFuture<?> lingerTimer;
    private transient Counter modelCalls;
    private transient Counter textsEmbedded;
    private transient Counter passedThrough;
    private transient Histogram batchSizes;
    private transient int dimension;

    public BatchingEmbeddingFunction(
            EmbeddingModelProvider modelProvider, EmbeddingRequestMapper<IN, OUT> mapper, EmbeddingOptions options) {
        this.modelProvider = modelProvider;
        this.mapper = mapper;
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        model = modelProvider.create();
        // every vector of a model has this size; ask once, so a wrong-sized answer is caught on every subtask
        dimension = model.dimension();
        executor = new ScheduledThreadPoolExecutor(
                options.maxConcurrentBatches(), new ExecutorThreadFactory("flink-rag-embedding"));
        filling = new ArrayList<>(options.maxBatchSize());
        var metrics = getRuntimeContext().getMetricGroup().addGroup("embedding");
        modelCalls = metrics.counter("modelCalls");
        textsEmbedded = metrics.counter("textsEmbedded");
        passedThrough = metrics.counter("passedThrough");
        batchSizes = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void asyncInvoke(IN record, ResultFuture<OUT> resultFuture) {
        String text = mapper.textToEmbed(record);
        if (text == null) {
            passedThrough.inc();
            resultFuture.complete(Collections.singletonList(mapper.withVector(record, null)));
            return;
        }
        List<Pending<IN, OUT>> full = null;
        synchronized (this) {
            filling.add(new Pending<>(record, text, resultFuture));
            if (filling.size() >= options.maxBatchSize()) {
                full = takeFilling();
            } else if (filling.size() == 1) {
                lingerTimer = executor.schedule(
                        this::sendLingering, options.linger().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (full != null) {
            List<Pending<IN, OUT>> batch = full;
            executor.execute(() -> embed(batch));
        }
    }

    private void sendLingering() {
        List<Pending<IN, OUT>> batch;
        synchronized (this) {
            batch = filling.isEmpty() ? null : takeFilling();
        }
        if (batch != null) {
            embed(batch);
        }
    }

    private List<Pending<IN, OUT>> takeFilling() {
        List<Pending<IN, OUT>> batch = filling;
        filling = new ArrayList<>(options.maxBatchSize());
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
        return batch;
    }

    private void embed(List<Pending<IN, OUT>> batch) {
        List<TextSegment> segments = new ArrayList<>(batch.size());
        for (Pending<IN, OUT> pending : batch) {
            segments.add(TextSegment.from(pending.text));
        }
        try {
            modelCalls.inc();
            batchSizes.update(batch.size());
            List<Embedding> embeddings = model.embedAll(segments).content();
            checkBatch(batch, embeddings);
            textsEmbedded.inc(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Pending<IN, OUT> pending = batch.get(i);
                pending.result.complete(
                        Collections.singletonList(mapper.withVector(pending.record, embeddings.get(i).vector())));
            }
        } catch (Throwable error) {
            LOG.error("Embedding a batch of {} texts with model {} failed (first record: {})",
                    batch.size(), modelProvider.modelId(), mapper.describe(batch.get(0).record), error);
            for (Pending<IN, OUT> pending : batch) {
                pending.result.completeExceptionally(error);
            }
        }
    }

    /** A wrong-sized or non-finite answer is an error for the whole batch, never written to a store. */
    private void checkBatch(List<Pending<IN, OUT>> batch, List<Embedding> embeddings) {
        if (embeddings.size() != batch.size()) {
            throw new EmbeddingException(String.format(
                    "model %s returned %d vectors for %d texts", modelProvider.modelId(), embeddings.size(), batch.size()));
        }
        for (int i = 0; i < embeddings.size(); i++) {
            float[] vector = embeddings.get(i).vector();
            if (vector.length != dimension) {
                throw new EmbeddingException(String.format("model %s returned %d dimensions instead of %d for %s",
                        modelProvider.modelId(), vector.length, dimension, mapper.describe(batch.get(i).record)));
            }
            for (float value : vector) {
                if (!Float.isFinite(value)) {
                    throw new EmbeddingException(String.format("model %s returned a non-finite value for %s",
                            modelProvider.modelId(), mapper.describe(batch.get(i).record)));
                }
            }
        }
    }

    @Override
    public void timeout(IN record, ResultFuture<OUT> resultFuture) {
        resultFuture.completeExceptionally(new EmbeddingException(
                "embedding " + mapper.describe(record) + " took longer than " + options.timeout()));
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private record Pending<IN, OUT>(IN record, String text, ResultFuture<OUT> result) {}
}
