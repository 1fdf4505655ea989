package dev.flinkrag.serving.stream;

import dev.flinkrag.serving.ServingOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/**
 * Options of the live Q&amp;A operator besides the store's, the model's ({@code model.*}) and the chat model's
 * ({@code chat.*}): how many questions a subtask works on at once and how long one may take. Retrieval uses the
 * server's {@code retrieval.mode} and {@code answer.context-chunks}.
 */
@PublicEvolving
public final class QuestionAnsweringOptions {

    public static final ConfigOption<Integer> CONCURRENCY = ConfigOptions.key("qa.concurrency")
            .intType()
            .defaultValue(4)
            .withDescription("Questions a subtask answers at once (threads calling the store and the chat model).");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("qa.timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("Longest time one question may take, chat retries included; a question not answered "
                    + "by then is a dead letter.");

    /** Every option the operator reads besides the store's, the model's and the chat model's. */
    public static final List<ConfigOption<?>> ALL = List.of(CONCURRENCY, TIMEOUT, ServingOptions.RETRIEVAL_MODE,
            ServingOptions.ANSWER_CONTEXT_CHUNKS);

    private QuestionAnsweringOptions() {}
}
