package dev.flinkrag.serving.stream;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

/**
 * A question for the live index.
 *
 * @param id identifies the question in its answer or dead letter
 * @param key the conversation (or user, or agent) asking: questions with one key are answered in arrival order;
 *     {@code null} orders by {@code id} alone
 * @param text what is asked
 * @param filter a Pathway {@code metadata_filter} (JMESPath subset) limiting the context, or {@code null}
 */
@PublicEvolving
public record Question(String id, @Nullable String key, String text, @Nullable String filter) {

    /** A question with no key and no filter. */
    public static Question of(String id, String text) {
        return new Question(id, null, text, null);
    }

    /** The key its order is kept within: {@link #key()}, else {@link #id()}. */
    public String orderingKey() {
        return key != null ? key : id != null ? id : "";
    }
}
