package dev.flinkrag.embedding;

import dev.flinkrag.common.ProgressLog;
import dev.flinkrag.embedding.ModelCaller.BatchText;
import dev.flinkrag.embedding.ModelCaller.TextOutcome;

import dev.langchain4j.model.embedding.EmbeddingModel;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Gathers texts submitted one at a time into batched model calls: batches close on a count, a token budget or a
 * linger time. A text already embedded by this model in this JVM is served from {@link EmbeddingCache}; a text
 * already in a batch being filled or embedded is not sent again. {@link ModelCaller} paces, retries and checks the
 * calls; texts longer than the model reads are refused or truncated by the {@link TokenLimitPolicy}. What the
 * embedding operator, the {@code EMBED} SQL function and the SQL model provider share.
 */
@Internal
public final class EmbeddingBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBatcher.class);

    /** How one submitted text ends; called on a model thread, or on the submitting thread for a cached text. */
    public interface Outcome {
        void embedded(float[] vector);

        /** The model refused the text, or it is over the model's token limit: this text's problem only. */
        void rejected(String reason);

        /** The call failed for a reason no text causes (retries exhausted, bad credentials): fail the job. */
        void failed(Throwable error);

        /** Names what the text belongs to, in logs. */
        default String describe() {
            return "a text";
        }
    }

    private final String modelId;
    private final EmbeddingOptions options;
    private final EmbeddingMetrics metrics;
    private final ModelCaller caller;
    private final EmbeddingCache cache;
    private final TokenCounter tokenCounter;
    /** The most tokens the model reads, enforced only when they can be counted exactly; 0 when not enforced. */
    private final int enforcedTokenLimit;
    private final boolean countTokens;
    private final ScheduledExecutorService executor;
    private final ProgressLog progress;
    private List<BatchText> filling;
    private int fillingTokens;
    /** Outcomes waiting for each text that is in a batch being filled or embedded. */
    private final Map<String, List<Outcome>> waiting = new HashMap<>();
    private ScheduledFuture<?> lingerTimer;
    /** Set by {@link #close}: no batch is sent any more, and a call still running only fills the cache. */
    private volatile boolean closed;

    /**
     * Creates the model. {@code parallelism} instances share the rate limits of {@code options}; metrics go to the
     * group {@code embedding} of {@code metricGroup}.
     */
    public EmbeddingBatcher(EmbeddingModelProvider provider, EmbeddingOptions options, MetricGroup metricGroup,
            int parallelism) {
        this.modelId = provider.modelId();
        this.options = options;
        this.metrics = new EmbeddingMetrics(metricGroup);
        this.progress = new ProgressLog(LOG, "embedding with " + modelId);
        this.tokenCounter = new TokenCounter(provider.createTokenCountEstimator());
        int modelLimit = provider.maxInputTokens().orElse(0);
        if (modelLimit > 0 && !tokenCounter.isExact() && options.tokenLimitPolicy() == TokenLimitPolicy.TRUNCATE) {
            throw new IllegalArgumentException("token-limit-policy TRUNCATE needs the tokenizer of model " + modelId
                    + ", which its provider does not give; use DEAD_LETTER (the model refuses over-long texts)");
        }
        this.enforcedTokenLimit = tokenCounter.isExact() ? modelLimit : 0;
        this.countTokens = enforcedTokenLimit > 0 || options.maxBatchTokens() > 0 || options.maxTokensPerMinute() > 0;
        EmbeddingModel model = provider.create();
        int dimension = ModelCaller.dimensionOf(model, modelId, options);
        this.caller = new ModelCaller(model, modelId, dimension, options, CallPacer.create(options, parallelism),
                metrics, () -> closed);
        if (options.cacheMaxBytes() > 0) {
            cache = EmbeddingCache.forModel(modelId, options.cacheMaxBytes(),
                    options.cacheDirectory() == null ? null : Path.of(options.cacheDirectory()));
            metrics.registerCache(cache);
        } else {
            cache = null;
        }
        this.executor = new ScheduledThreadPoolExecutor(
                options.maxConcurrentBatches(), new ExecutorThreadFactory("flink-rag-embedding"));
        this.filling = new ArrayList<>(options.maxBatchSize());
    }

    public String modelId() {
        return modelId;
    }

    /** Counts an input that needed no vector (a delete, a metadata-only update). */
    public void passedThrough() {
        metrics.passedThrough.inc();
    }

    /** Counts a record refused before it reached the batcher (its request mapper failed). */
    public void rejectedUpFront() {
        metrics.rejected.inc();
    }

    /** Embeds {@code text} and tells {@code outcome}; a cached text completes at once, on this thread. */
    public void submit(String text, Outcome outcome) {
        int tokens = countTokens ? tokenCounter.count(text) : 0;
        if (enforcedTokenLimit > 0 && tokens > enforcedTokenLimit) {
            String cut = options.tokenLimitPolicy() == TokenLimitPolicy.TRUNCATE
                    ? tokenCounter.truncate(text, enforcedTokenLimit) : null;
            if (cut == null) {
                metrics.rejected.inc();
                outcome.rejected(String.format("text has %d tokens but model %s reads at most %d "
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
            List<Outcome> sameText = waiting.get(text);
            // under the lock a finishing batch caches its vectors and releases its waiting texts, so a text is
            // found either waiting or cached, never missed in between and embedded twice
            cached = sameText != null || cache == null ? null : cache.get(text);
            if (cached == null) {
                metrics.cacheMisses.inc();
                metrics.inFlightRecords.incrementAndGet();
            }
            if (sameText != null) {
                // the text is already in a batch being filled or embedded: share its result
                sameText.add(outcome);
                return;
            }
            if (cached == null) {
                sameText = new ArrayList<>(1);
                sameText.add(outcome);
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
            outcome.embedded(cached.clone());
            progress.maybeLog(metrics::progressLine);
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

    /** Embeds distinct texts and completes every outcome waiting for each of them. */
    private void embed(List<BatchText> batch) {
        if (closed) {
            return;
        }
        List<TextOutcome> outcomes = null;
        Throwable failure = null;
        try {
            outcomes = caller.embed(batch);
        } catch (Throwable error) {
            failure = error;
            LOG.error("Embedding a batch of {} texts with model {} failed (first: {})",
                    batch.size(), modelId, describeFirstWaiting(batch.get(0).text()), error);
        }
        for (int i = 0; i < batch.size(); i++) {
            String text = batch.get(i).text();
            TextOutcome outcome = outcomes == null ? null : outcomes.get(i);
            List<Outcome> sameText;
            synchronized (this) {
                if (outcome != null && outcome.vector() != null && cache != null) {
                    cache.put(text, outcome.vector());
                }
                sameText = waiting.remove(text);
            }
            metrics.inFlightRecords.addAndGet(-sameText.size());
            if (closed) {
                continue; // the task is gone; its records are replayed from the last checkpoint
            }
            for (Outcome waiter : sameText) {
                if (failure != null) {
                    waiter.failed(failure);
                } else if (outcome.vector() != null) {
                    waiter.embedded(outcome.vector().clone());
                } else {
                    metrics.rejected.inc();
                    waiter.rejected(outcome.rejection());
                }
            }
        }
        progress.maybeLog(metrics::progressLine);
    }

    private synchronized String describeFirstWaiting(String text) {
        List<Outcome> sameText = waiting.get(text);
        return sameText == null || sameText.isEmpty() ? "none" : sameText.get(0).describe();
    }

    /**
     * Sends no more batches. A batch the model is computing when the task goes away (a failover cancels every
     * task of the job) is left to finish when there is a cache, so its vectors reach the JVM's cache rather than
     * being thrown away: the restarted task asks for the same texts moments later. Nobody is told its outcome, and
     * a failure is not retried.
     */
    @Override
    public void close() {
        closed = true;
        if (cache == null) {
            executor.shutdownNow();
        } else {
            executor.shutdown(); // queued batches and the linger timer still run, and return at once
        }
    }
}
