package dev.flinkrag.serving.stream;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

/** What the asynchronous step produces for one question: its answer or its dead letter, split downstream. */
@Internal
public record QuestionOutcome(@Nullable AnsweredQuestion answered, @Nullable UnansweredQuestion unanswered) {

    static QuestionOutcome of(AnsweredQuestion answered) {
        return new QuestionOutcome(answered, null);
    }

    static QuestionOutcome of(UnansweredQuestion unanswered) {
        return new QuestionOutcome(null, unanswered);
    }
}
