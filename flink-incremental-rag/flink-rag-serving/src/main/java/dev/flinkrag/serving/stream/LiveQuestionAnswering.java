package dev.flinkrag.serving.stream;

import dev.flinkrag.serving.index.StoreOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Live Q&amp;A as a stream: questions in, answers from the index a flink-rag job keeps fresh out.
 *
 * <pre>{@code
 * LiveQuestionAnswering.Answers answers = LiveQuestionAnswering.answer(questions, Map.of(
 *         "store", "pgvector", "url", "jdbc:postgresql://db:5432/docs", "username", "rag",
 *         "password-env", "PGPASSWORD", "table-name", "handbook",
 *         "chat.provider", "openai", "chat.base-url", "http://llm:8000/v1", "chat.model", "qwen3-8b"));
 * answers.answers().sinkTo(…);
 * answers.unanswered().sinkTo(…);   // dead letters, each with its reason
 * }</pre>
 *
 * Questions are keyed by {@link Question#orderingKey()} and answered asynchronously ({@code qa.concurrency} at once per
 * subtask) with their order kept: the answers of one conversation leave in the order it asked. Questions in flight are
 * part of the checkpoint, so a restarted job asks them again. The options are those of {@code flink-rag serve}
 * ({@code store} and its keys, {@code model.*}, {@code chat.*}, {@code retrieval.mode}, {@code answer.context-chunks})
 * and {@link QuestionAnsweringOptions}; unknown keys are refused here, when the job is built.
 */
@PublicEvolving
public final class LiveQuestionAnswering {

    private static final OutputTag<UnansweredQuestion> UNANSWERED =
            new OutputTag<>("unanswered-questions") {};

    private LiveQuestionAnswering() {}

    /** The answers of {@code questions} and the questions that could not be answered. */
    public record Answers(DataStream<AnsweredQuestion> answers, DataStream<UnansweredQuestion> unanswered) {}

    public static Answers answer(DataStream<Question> questions, Map<String, String> options) {
        StoreOptions.check(options, QuestionAnsweringFunction.ownKeys());
        Configuration configuration = Configuration.fromMap(options);
        int concurrency = configuration.get(QuestionAnsweringOptions.CONCURRENCY);
        if (concurrency < 1) {
            throw new IllegalArgumentException("option 'qa.concurrency' must be at least 1, was " + concurrency);
        }
        long timeout = configuration.get(QuestionAnsweringOptions.TIMEOUT).toMillis();
        SingleOutputStreamOperator<QuestionOutcome> outcomes = AsyncDataStream.orderedWait(
                        questions.keyBy(Question::orderingKey),
                        new QuestionAnsweringFunction(options), timeout, TimeUnit.MILLISECONDS, concurrency)
                .name("answer questions").uid("flink-rag-qa-answer");
        SingleOutputStreamOperator<AnsweredQuestion> answers = outcomes
                .process(new ProcessFunction<QuestionOutcome, AnsweredQuestion>() {
                    @Override
                    public void processElement(QuestionOutcome outcome, Context context,
                            Collector<AnsweredQuestion> out) {
                        if (outcome.answered() != null) {
                            out.collect(outcome.answered());
                        } else {
                            context.output(UNANSWERED, outcome.unanswered());
                        }
                    }
                })
                .name("split answers and dead letters").uid("flink-rag-qa-split");
        return new Answers(answers, answers.getSideOutput(UNANSWERED));
    }
}
