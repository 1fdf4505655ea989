package dev.flinkrag.langchain4j;

import org.apache.flink.annotation.Internal;

/** Checks of the store builders' settings, failing when the job is built rather than in a task, naming the setter. */
@Internal
public final class Required {

    private Required() {}

    public static String text(String store, String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(store + "Store.builder()." + option + "(…) is required");
        }
        return value;
    }

    public static int positive(String store, String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(store + "Store.builder()." + option + "(…) must be at least 1, was "
                    + value);
        }
        return value;
    }
}
