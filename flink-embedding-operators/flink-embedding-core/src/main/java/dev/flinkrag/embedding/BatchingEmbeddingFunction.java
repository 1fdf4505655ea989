package dev.flinkrag.embedding;

import dev.flinkrag.embedding.ModelCaller.BatchText;
import dev.flinkrag.embedding.ModelCaller.TextOutcome;

import dev.langchain4j.model.embedding.EmbeddingModel;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
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
 * a restore, so a batch that was still filling up is never lost. The operator's capacity bounds the
 * records held, so a slow model back-pressures the input instead of filling the heap.
 *
 * <p>Batches close on a count, a token budget or a linger time. A text already embedded by this model in
 * this JVM is served from {@link EmbeddingCache}; a text already in a batch being filled or embedded is not
 * sent again. {@link ModelCaller} paces, retries and checks the calls. Each output is either the embedded
 * record ({@link Either#Left}) or an {@link EmbeddingRejection} ({@link Either#Right}) for the dead-letter
 * output. Metrics: see {@link EmbeddingMetrics}.
 */
@PublicEvolving
public class BatchingEmbeddingFunction<IN, OUT> extends RichAsyncFunction<IN, Either<OUT, EmbeddingRejection<IN>>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingEmbeddingFunction.class);

    private final EmbeddingModelProvider modelProvider;
    private final EmbeddingRequestMapper<IN, OUT> mapper;
    private final EmbeddingOptions options;

    private transient String modelId;
    private transient ModelCaller caller;
    private transient EmbeddingMetrics metrics;
    private transient EmbeddingCache cache;
    private transient TokenCounter tokenCounter;
    /** The most tokens the model reads, enforced only when they can be counted exactly; 0 when not enforced. */
    private transient int enforcedTokenLimit;
    private transient boolean countTokens;
    private transient ScheduledExecutorService executor;
    private transient List<BatchText> filling;
    private transient int fillingTokens;
    /** Records waiting for each text that is in a batch being filled or embedded. */
    private transient Map<String, List<Pending<IN, OUT>>> waiting;
    private transient ScheduledFuture<?> lingerTimer;

    public BatchingEmbeddingFunction(
            EmbeddingModelProvider modelProvider, EmbeddingRequestMapper<IN, OUT> mapper, EmbeddingOptions options) {
        this.modelProvider = modelProvider;
        this.mapper = mapper;
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        modelId = modelProvider.modelId();
        metrics = new EmbeddingMetrics(getRuntimeContext().getMetricGroup());
        tokenCounter = new TokenCounter(modelProvider.createTokenCountEstimator());
        int modelLimit = modelProvider.maxInputTokens().orElse(0);
        if (modelLimit > 0 && !tokenCounter.isExact() && options.tokenLimitPolicy() == TokenLimitPolicy.TRUNCATE) {
            throw new IllegalArgumentException("token-limit-policy TRUNCATE needs the tokenizer of model " + modelId
                    + ", which its provider does not give; use DEAD_LETTER (the model refuses over-long texts)");
        }
        enforcedTokenLimit = tokenCounter.isExact() ? modelLimit : 0;
        countTokens = enforcedTokenLimit > 0 || options.maxBatchTokens() > 0 || options.maxTokensPerMinute() > 0;

        EmbeddingModel model = modelProvider.create();
        int dimension = ModelCaller.dimensionOf(model, modelId, options);
        CallPacer pacer = CallPacer.create(options, getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        caller = new ModelCaller(model, modelId, dimension, options, pacer, metrics);
        if (options.cacheMaxBytes() > 0) {
            cache = EmbeddingCache.forModel(modelId, options.cacheMaxBytes(),
                    options.cacheDirectory() == null ? null : Path.of(options.cacheDirectory()));
            metrics.registerCache(cache);
        }
        executor = new ScheduledThreadPoolExecutor(
                options.maxConcurrentBatches(), new ExecutorThreadFactory("flink-rag-embedding"));
        filling = new ArrayList<>(options.maxBatchSize());
        waiting = new HashMap<>();
    }

    @Override
    public void asyncInvoke(IN record, ResultFuture<Either<OUT, EmbeddingRejection<IN>>> resultFuture) {
        String text;
        try {
            text = mapper.textToEmbed(record);
            if (text == null) {
                OUT passed = mapper.withVector(record, null);
                metrics.passedThrough.inc();
                resultFuture.complete(Collections.singletonList(Either.Left(passed)));
                return;
            }
        } catch (RuntimeException e) {
            // a mapper that cannot handle one record is that record's problem, not the job's
            reject(record, resultFuture, "the request mapper failed: " + e);
            return;
        }
        int tokens = countTokens ? tokenCounter.count(text) : 0;
        if (enforcedTokenLimit > 0 && tokens > enforcedTokenLimit) {
            String cut = options.tokenLimitPolicy() == TokenLimitPolicy.TRUNCATE
                    ? tokenCounter.truncate(text, enforcedTokenLimit) : null;
            if (cut == null) {
                reject(record, resultFuture, String.format("text has %d tokens but model %s reads at most %d "
                        + "(token-limit-policy %s)", tokens, modelId, enforcedTokenLimit, options.tokenLimitPolicy()));
                return;
            }
            metrics.truncated.inc();
            text = cut;
            tokens = tokenCounter.count(cut);
        }
        List<List<BatchText>> ready = new ArrayList<>(2);
        float[] cached;
        synchronized (this) {
            List<Pending<IN, OUT>> sameText = waiting.get(text);
            // under the lock a finishing batch caches its vectors and releases its waiting texts, so a text is
            // found either waiting or cached, never missed in between and embedded twice
            cached = sameText != null || cache == null ? null : cache.get(text);
            if (cached == null) {
                metrics.cacheMisses.inc();
                metrics.inFlightRecords.incrementAndGet();
            }
            if (sameText != null) {
                // the text is already in a batch being filled or embedded: share its result
                sameText.add(new Pending<>(record, resultFuture));
                return;
            }
            if (cached == null) {
                sameText = new ArrayList<>(1);
                sameText.add(new Pending<>(record, resultFuture));
                waiting.put(text, sameText);
                if (!filling.isEmpty() && options.maxBatchTokens() > 0
                        && fillingTokens + tokens > options.maxBatchTokens()) {
                    ready.add(takeFilling());
                }
                filling.add(new BatchText(text, tokens));
                fillingTokens += tokens;
                if (filling.size() >= options.maxBatchSize()
                        || (options.maxBatchTokens() > 0 && fillingTokens >= options.maxBatchTokens())) {
                    ready.add(takeFilling());
                } else if (filling.size() == 1) {
                    lingerTimer = executor.schedule(
                            this::sendLingering, options.linger().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        if (cached != null) {
            metrics.cacheHits.inc();
            resultFuture.complete(Collections.singletonList(Either.Left(mapper.withVector(record, cached.clone()))));
            return;
        }
        for (List<BatchText> batch : ready) {
            executor.execute(() -> embed(batch));
        }
    }

    private void sendLingering() {
        List<BatchText> batch;
        synchronized (this) {
            batch = filling.isEmpty() ? null : takeFilling();
        }
        if (batch != null) {
            embed(batch);
        }
    }

    private List<BatchText> takeFilling() {
        List<BatchText> batch = filling;
        filling = new ArrayList<>(options.maxBatchSize());
        fillingTokens = 0;
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
        return batch;
    }

    /** Embeds distinct texts and completes every record waiting for each of them. */
    private void embed(List<BatchText> batch) {
        List<TextOutcome> outcomes = null;
        Throwable failure = null;
        try {
            outcomes = caller.embed(batch);
        } catch (Throwable error) {
            failure = error;
            LOG.error("Embedding a batch of {} texts with model {} failed (first record: {})",
                    batch.size(), modelId, describeFirstWaiting(batch.get(0).text()), error);
        }
        for (int i = 0; i < batch.size(); i++) {
            String text = batch.get(i).text();
            TextOutcome outcome = outcomes == null ? null : outcomes.get(i);
            List<Pending<IN, OUT>> sameText;
            synchronized (this) {
                if (outcome != null && outcome.vector() != null && cache != null) {
                    cache.put(text, outcome.vector());
                }
                sameText = waiting.remove(text);
            }
            metrics.inFlightRecords.addAndGet(-sameText.size());
            for (Pending<IN, OUT> pending : sameText) {
                if (failure != null) {
                    pending.result.completeExceptionally(failure);
                } else if (outcome.vector() != null) {
                    pending.result.complete(Collections.singletonList(
                            Either.Left(mapper.withVector(pending.record, outcome.vector().clone()))));
                } else {
                    reject(pending.record, pending.result, outcome.rejection());
                }
            }
        }
    }

    private void reject(IN record, ResultFuture<Either<OUT, EmbeddingRejection<IN>>> result, String reason) {
        metrics.rejected.inc();
        result.complete(Collections.singletonList(
                Either.Right(new EmbeddingRejection<>(record, mapper.describe(record), reason, modelId))));
    }

    private synchronized String describeFirstWaiting(String text) {
        List<Pending<IN, OUT>> sameText = waiting.get(text);
        return sameText == null || sameText.isEmpty() ? "none" : mapper.describe(sameText.get(0).record);
    }

    @Override
    public void timeout(IN record, ResultFuture<Either<OUT, EmbeddingRejection<IN>>> resultFuture) {
        resultFuture.completeExceptionally(new EmbeddingException(
                "embedding " + mapper.describe(record) + " took longer than " + options.timeout()));
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private record Pending<IN, OUT>(IN record, ResultFuture<Either<OUT, EmbeddingRejection<IN>>> result) {}
}
