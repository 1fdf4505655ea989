package dev.flinkrag.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A text already embedded by this model in this JVM is served from {@link EmbeddingCache}; a text
 * already in a batch being filled or embedded is not sent again. Retryable failures (429, 5xx,
 * timeouts, I/O) are retried with exponential backoff and jitter; anything else fails the batch.
 * Metrics (group {@code embedding}): modelCalls, textsEmbedded, passedThrough, batchSize, callMillis,
 * retries, cacheHits, cacheMisses, cacheEntries.
 */
public class BatchingEmbeddingFunction<IN, OUT> extends RichAsyncFunction<IN, OUT> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingEmbeddingFunction.class);

    private final EmbeddingModelProvider modelProvider;
    private final EmbeddingRequestMapper<IN, OUT> mapper;
    private final EmbeddingOptions options;

    private transient EmbeddingModel model;
    private transient ScheduledExecutorService executor;
    private transient List<String> filling;
    /** Records waiting for each text that is in a batch being filled or embedded. */
    private transient Map<String, List<Pending<IN, OUT>>> waiting;
    private transient ScheduledFuture<?> lingerTimer;
    private transient Counter modelCalls;
    private transient Counter textsEmbedded;
    private transient Counter passedThrough;
    private transient Counter cacheHits;
    private transient Counter cacheMisses;
    private transient EmbeddingCache cache;
    private transient Histogram batchSizes;
    private transient Histogram callMillis;
    private transient int dimension;
    private transient RetryPolicy<List<Embedding>> retryPolicy;
    private transient Counter retries;

    public BatchingEmbeddingFunction(
            EmbeddingModelProvider modelProvider, EmbeddingRequestMapper<IN, OUT> mapper, EmbeddingOptions options) {
        this.modelProvider = modelProvider;
        this.mapper = mapper;
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        model = modelProvider.create();
        executor = new ScheduledThreadPoolExecutor(
                options.maxConcurrentBatches(), new ExecutorThreadFactory("flink-rag-embedding"));
        filling = new ArrayList<>(options.maxBatchSize());
        waiting = new HashMap<>();
        var metrics = getRuntimeContext().getMetricGroup().addGroup("embedding");
        modelCalls = metrics.counter("modelCalls");
        textsEmbedded = metrics.counter("textsEmbedded");
        passedThrough = metrics.counter("passedThrough");
        // every vector of a model has this size; ask once, so a wrong-sized answer is caught on every subtask
        dimension = Failsafe.with(RetryPolicy.<Integer>builder().handleIf(RetryableFailures::isRetryable)
                .withMaxRetries(options.maxRetries()).withBackoff(options.initialBackoff(), options.maxBackoff())
                .build()).get(model::dimension);
        batchSizes = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        callMillis = metrics.histogram("callMillis", new DescriptiveStatisticsHistogram(1000));
        retries = metrics.counter("retries");
        retryPolicy = RetryPolicy.<List<Embedding>>builder()
                .handleIf(RetryableFailures::isRetryable)
                .withMaxRetries(options.maxRetries())
                .withBackoff(options.initialBackoff(), options.maxBackoff())
                .withJitter(0.25)
                .onRetry(event -> {
                    retries.inc();
                    LOG.warn("Model {} failed ({}), attempt {} of {}", modelProvider.modelId(),
                            event.getLastException().toString(), event.getAttemptCount(), options.maxRetries() + 1);
                })
                .build();
        cacheHits = metrics.counter("cacheHits");
        cacheMisses = metrics.counter("cacheMisses");
        if (options.cacheMaxBytes() > 0) {
            cache = EmbeddingCache.forModel(modelProvider.modelId(), options.cacheMaxBytes());
            metrics.gauge("cacheEntries", cache::estimatedSize);
        }
    }

    @Override
    public void asyncInvoke(IN record, ResultFuture<OUT> resultFuture) {
        String text = mapper.textToEmbed(record);
        if (text == null) {
            passedThrough.inc();
            resultFuture.complete(Collections.singletonList(mapper.withVector(record, null)));
            return;
        }
        float[] cached = cache == null ? null : cache.get(text);
        if (cached != null) {
            cacheHits.inc();
            resultFuture.complete(Collections.singletonList(mapper.withVector(record, cached.clone())));
            return;
        }
        cacheMisses.inc();
        List<String> full = null;
        synchronized (this) {
            List<Pending<IN, OUT>> sameText = waiting.get(text);
            if (sameText != null) {
                // the text is already in a batch being filled or embedded: share its result
                sameText.add(new Pending<>(record, resultFuture));
                return;
            }
            sameText = new ArrayList<>(1);
            sameText.add(new Pending<>(record, resultFuture));
            waiting.put(text, sameText);
            filling.add(text);
            if (filling.size() >= options.maxBatchSize()) {
                full = takeFilling();
            } else if (filling.size() == 1) {
                lingerTimer = executor.schedule(
                        this::sendLingering, options.linger().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (full != null) {
            List<String> batch = full;
            executor.execute(() -> embed(batch));
        }
    }

    private void sendLingering() {
        List<String> batch;
        synchronized (this) {
            batch = filling.isEmpty() ? null : takeFilling();
        }
        if (batch != null) {
            embed(batch);
        }
    }

    private List<String> takeFilling() {
        List<String> batch = filling;
        filling = new ArrayList<>(options.maxBatchSize());
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
        return batch;
    }

    /** Embeds distinct texts in one model call and completes every record waiting for each of them. */
    private void embed(List<String> texts) {
        List<float[]> vectors = null;
        Throwable failure = null;
        try {
            modelCalls.inc();
            batchSizes.update(texts.size());
            List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
            long started = System.nanoTime();
            List<Embedding> embeddings = Failsafe.with(retryPolicy).get(() -> model.embedAll(segments).content());
            callMillis.update((System.nanoTime() - started) / 1_000_000);
            checkBatch(texts, embeddings);
            textsEmbedded.inc(texts.size());
            vectors = embeddings.stream().map(Embedding::vector).toList();
        } catch (Throwable error) {
            failure = error;
            LOG.error("Embedding a batch of {} texts with model {} failed (first record: {})",
                    texts.size(), modelProvider.modelId(), describeFirstWaiting(texts.get(0)), error);
        }
        for (int i = 0; i < texts.size(); i++) {
            List<Pending<IN, OUT>> sameText;
            synchronized (this) {
                if (vectors != null && cache != null) {
                    cache.put(texts.get(i), vectors.get(i));
                }
                sameText = waiting.remove(texts.get(i));
            }
            for (Pending<IN, OUT> pending : sameText) {
                if (failure != null) {
                    pending.result.completeExceptionally(failure);
                } else {
                    pending.result.complete(
                            Collections.singletonList(mapper.withVector(pending.record, vectors.get(i).clone())));
                }
            }
        }
    }

    private synchronized String describeFirstWaiting(String text) {
        List<Pending<IN, OUT>> sameText = waiting.get(text);
        return sameText == null || sameText.isEmpty() ? "none" : mapper.describe(sameText.get(0).record);
    }

    /** A wrong-sized or non-finite answer is an error for the whole batch, never written to a store. */
    private void checkBatch(List<String> texts, List<Embedding> embeddings) {
        if (embeddings.size() != texts.size()) {
            throw new EmbeddingException(String.format(
                    "model %s returned %d vectors for %d texts", modelProvider.modelId(), embeddings.size(), texts.size()));
        }
        for (int i = 0; i < embeddings.size(); i++) {
            float[] vector = embeddings.get(i).vector();
            if (vector.length != dimension) {
                throw new EmbeddingException(String.format("model %s returned %d dimensions instead of %d for %s",
                        modelProvider.modelId(), vector.length, dimension, describeFirstWaiting(texts.get(i))));
            }
            for (float value : vector) {
                if (!Float.isFinite(value)) {
                    throw new EmbeddingException(String.format("model %s returned a non-finite value for %s",
                            modelProvider.modelId(), describeFirstWaiting(texts.get(i))));
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

    private record Pending<IN, OUT>(IN record, ResultFuture<OUT> result) {}
}
