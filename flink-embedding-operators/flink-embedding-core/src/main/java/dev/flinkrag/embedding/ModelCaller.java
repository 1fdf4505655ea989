package dev.flinkrag.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Sends one batch of distinct texts to the model: paced by {@link CallPacer}, retried with backoff (or as
 * long as the server's Retry-After asks) on retryable failures, and checked (one finite vector of the
 * model's dimension per text). A batch the model refuses is halved until the refused texts are found, so
 * one bad text costs only itself; every other text still gets its vector. Failures that no text can cause
 * (a wrong key, a missing permission, an unknown model) fail the call like exhausted retries do.
 */
final class ModelCaller {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCaller.class);

    /** A text to embed and its token count (for pacing and metrics). */
    record BatchText(String text, int tokens) {}

    /** Either the vector of a text or why the model would not give one. */
    record TextOutcome(@Nullable float[] vector, @Nullable String rejection) {}

    private final EmbeddingModel model;
    private final String modelId;
    private final int dimension;
    private final CallPacer pacer;
    private final EmbeddingMetrics metrics;
    private final RetryPolicy<List<Embedding>> retryPolicy;

    /** @param stopped whether the caller has closed: a failed call is then not retried */
    ModelCaller(EmbeddingModel model, String modelId, int dimension, EmbeddingOptions options, CallPacer pacer,
            EmbeddingMetrics metrics, BooleanSupplier stopped) {
        this.model = model;
        this.modelId = modelId;
        this.dimension = dimension;
        this.pacer = pacer;
        this.metrics = metrics;
        this.retryPolicy = retryPolicy(options, modelId, metrics, stopped);
    }

    /** Asks the model for its vector size, retrying like a call; every answer is later checked against it. */
    static int dimensionOf(EmbeddingModel model, String modelId, EmbeddingOptions options) {
        RetryPolicy<Integer> policy = options.retries()
                .<Integer>policy(ModelFailures::isRetryable, ModelFailures::serverRequestedDelay)
                .onRetry(event -> LOG.warn("Asking model {} for its dimension failed ({}), retrying", modelId,
                        ModelFailures.describe(event.getLastException())))
                .build();
        return Failsafe.with(policy).get(model::dimension);
    }

    private static <R> RetryPolicy<R> retryPolicy(EmbeddingOptions options, String modelId, EmbeddingMetrics metrics,
            BooleanSupplier stopped) {
        return options.retries().<R>policy(ModelFailures::isRetryable, ModelFailures::serverRequestedDelay)
                .abortIf((result, failure) -> stopped.getAsBoolean())
                .onRetry(event -> {
                    metrics.retries.inc();
                    LOG.warn("Model {} failed ({}), attempt {} of {}", modelId,
                            ModelFailures.describe(event.getLastException()), event.getAttemptCount() + 1,
                            options.retries().maxRetries() + 1);
                })
                .build();
    }

    /**
     * One outcome per text, in order.
     *
     * @throws RuntimeException when a retryable failure outlasts the retries, or the model refuses every
     *     request: the caller fails the records so the job fails over and nothing is lost
     */
    List<TextOutcome> embed(List<BatchText> batch) {
        List<Embedding> embeddings;
        try {
            embeddings = Failsafe.with(retryPolicy).get(() -> call(batch));
        } catch (FailsafeException wrapped) {
            // only checked exceptions are wrapped; an interrupt means the task is going away
            throw new EmbeddingException("embedding with model " + modelId + " was interrupted", wrapped.getCause());
        } catch (RuntimeException failure) {
            if (ModelFailures.isRetryable(failure)) {
                throw failure;
            }
            if (ModelFailures.concernsEveryText(failure)) {
                // a wrong key or model name is fixed by configuration, not by the data: fail over and keep
                // every record, rather than dead-letter all of them and leave the index short once it is fixed
                throw new EmbeddingException("model " + modelId + " rejects every request ("
                        + ModelFailures.describe(failure) + "); check the key, permissions and model name", failure);
            }
            String reason = "model " + modelId + " refused the request: " + ModelFailures.describe(failure);
            if (batch.size() == 1) {
                LOG.warn("{} (the record goes to the dead-letter output)", reason);
                return List.of(new TextOutcome(null, reason));
            }
            int half = batch.size() / 2;
            List<TextOutcome> outcomes = new ArrayList<>(embed(batch.subList(0, half)));
            outcomes.addAll(embed(batch.subList(half, batch.size())));
            return outcomes;
        }
        List<TextOutcome> outcomes = new ArrayList<>(batch.size());
        for (Embedding embedding : embeddings) {
            String problem = problemWith(embedding.vector());
            if (problem == null) {
                metrics.textsEmbedded.inc();
                outcomes.add(new TextOutcome(embedding.vector(), null));
            } else {
                outcomes.add(new TextOutcome(null, problem));
            }
        }
        return outcomes;
    }

    private List<Embedding> call(List<BatchText> batch) throws InterruptedException {
        int tokens = batch.stream().mapToInt(BatchText::tokens).sum();
        pacer.awaitPermission(tokens);
        metrics.modelCalls.inc();
        metrics.batchSize.update(batch.size());
        metrics.tokens.inc(tokens);
        long started = System.nanoTime();
        List<Embedding> embeddings = model.embedAll(batch.stream().map(text -> TextSegment.from(text.text())).toList())
                .content();
        metrics.callMillis.update((System.nanoTime() - started) / 1_000_000);
        if (embeddings.size() != batch.size()) {
            throw new EmbeddingException(String.format(
                    "model %s returned %d vectors for %d texts", modelId, embeddings.size(), batch.size()));
        }
        return embeddings;
    }

    /** A wrong-sized or non-finite vector is never written to a store. */
    @Nullable
    private String problemWith(float[] vector) {
        if (vector.length != dimension) {
            return String.format("model %s returned %d dimensions instead of %d", modelId, vector.length, dimension);
        }
        for (float value : vector) {
            if (!Float.isFinite(value)) {
                return "model " + modelId + " returned a non-finite value (NaN or infinity)";
            }
        }
        return null;
    }
}
