package dev.flinkrag.serving.stream;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.chat.ChatFailedException;
import dev.flinkrag.embedding.chat.ChatModelOptions;
import dev.flinkrag.serving.ServingOptions;
import dev.flinkrag.serving.answer.Answer;
import dev.flinkrag.serving.answer.Answerer;
import dev.flinkrag.serving.filter.InvalidFilterException;
import dev.flinkrag.serving.filter.PathwayFilterParser;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.index.StoreOptions;
import dev.flinkrag.serving.retrieval.RetrievedChunk;
import dev.flinkrag.serving.retrieval.Retriever;

import dev.langchain4j.store.embedding.filter.Filter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Answers each question against the live index on a pool of {@code qa.concurrency} threads: retrieves its context
 * (filtered inside the store), asks the chat model (which retries rate limits, server errors and timeouts itself)
 * or answers extractively without one.
 *
 * <p>A question that cannot be answered for a reason of its own — no id or text, a filter that does not parse, a
 * chat model refusing it (a 4xx other than 401, 403 and 429), no answer within {@code qa.timeout} — becomes an
 * {@link UnansweredQuestion}. Faults that are no question's fault — the store unreachable, the chat model still
 * failing after its retries, a rejected API key — fail the job, which restarts from its checkpoint and asks the
 * questions in flight again.
 */
@Internal
public final class QuestionAnsweringFunction extends RichAsyncFunction<Question, QuestionOutcome> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(QuestionAnsweringFunction.class);

    private final HashMap<String, String> options;

    private transient ServedIndex index;
    private transient Retriever retriever;
    private transient Answerer answerer;
    private transient ExecutorService workers;
    private transient Retriever.Mode mode;
    private transient int contextChunks;
    private transient Counter answered;
    private transient Counter deadLetters;

    /** {@code options}: the store's, the model's, the chat model's and {@link QuestionAnsweringOptions}. */
    public QuestionAnsweringFunction(Map<String, String> options) {
        this.options = new HashMap<>(options);
    }

    /** Every key the operator reads besides the store's and the model's. */
    static List<String> ownKeys() {
        List<String> keys = new ArrayList<>(StoreOptions.keys(QuestionAnsweringOptions.ALL));
        keys.addAll(StoreOptions.keys(ChatModelOptions.ALL));
        return keys;
    }

    @Override
    public void open(OpenContext openContext) {
        Configuration configuration = Configuration.fromMap(options);
        EmbeddingModelProvider model = StoreOptions.model(options);
        index = StoreOptions.open(options, model, ownKeys());
        retriever = Retriever.open(index, model);
        answerer = Answerer.fromOptions(configuration);
        mode = configuration.get(ServingOptions.RETRIEVAL_MODE);
        contextChunks = configuration.get(ServingOptions.ANSWER_CONTEXT_CHUNKS);
        workers = Executors.newFixedThreadPool(configuration.get(QuestionAnsweringOptions.CONCURRENCY),
                new ExecutorThreadFactory("flink-rag-qa"));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("qa");
        answered = metrics.counter("answered");
        // named like every other dead-letter counter, so the status page and dashboards add them up
        deadLetters = metrics.counter("deadLetters");
    }

    @Override
    public void asyncInvoke(Question question, ResultFuture<QuestionOutcome> result) {
        CompletableFuture.supplyAsync(() -> answer(question), workers).whenComplete((outcome, failure) -> {
            if (failure == null) {
                count(outcome);
                result.complete(List.of(outcome));
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    @Override
    public void timeout(Question question, ResultFuture<QuestionOutcome> result) {
        QuestionOutcome outcome = unanswered(question, "not answered within "
                + Configuration.fromMap(options).get(QuestionAnsweringOptions.TIMEOUT).toMillis() + " ms (qa.timeout)");
        count(outcome);
        result.complete(List.of(outcome));
    }

    private QuestionOutcome answer(Question question) {
        if (question.id() == null || question.id().isBlank()) {
            return unanswered(question, "field 'id' is missing");
        }
        if (question.text() == null || question.text().isBlank()) {
            return unanswered(question, "field 'text' is empty");
        }
        Filter filter;
        try {
            filter = parse(question.filter());
        } catch (InvalidFilterException e) {
            return unanswered(question, "field 'filter': " + e.getMessage());
        }
        List<RetrievedChunk> context = retriever.retrieve(question.text(), contextChunks, filter, mode);
        Answer answer;
        try {
            answer = answerer.answer(question.text(), context, null);
        } catch (ChatFailedException e) {
            if (!e.refusedRequest()) {
                throw e;
            }
            return unanswered(question, "the chat model refused the question (HTTP " + e.status().getAsInt() + ")");
        }
        List<String> sources = new ArrayList<>();
        List<String> chunkIds = new ArrayList<>();
        for (RetrievedChunk chunk : answer.sources()) {
            Object path = chunk.metadata().getOrDefault("path", chunk.metadata().get("doc_id"));
            sources.add(path == null ? chunk.id() : path.toString());
            chunkIds.add(chunk.id());
        }
        return QuestionOutcome.of(new AnsweredQuestion(question.id(), question.orderingKey(), question.text(),
                answer.response(), sources, chunkIds, System.currentTimeMillis()));
    }

    @Nullable
    private static Filter parse(@Nullable String filter) {
        return filter == null || filter.isBlank() ? null : PathwayFilterParser.parse(filter);
    }

    private static QuestionOutcome unanswered(Question question, String reason) {
        return QuestionOutcome.of(new UnansweredQuestion(question.id(), question.orderingKey(),
                question.text() == null ? "" : question.text(), reason));
    }

    private void count(QuestionOutcome outcome) {
        if (outcome.answered() != null) {
            answered.inc();
        } else {
            deadLetters.inc();
            LOG.warn("question {} is a dead letter: {}", outcome.unanswered().id(), outcome.unanswered().reason());
        }
    }

    @Override
    public void close() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (index != null) {
            index.close();
        }
    }
}
