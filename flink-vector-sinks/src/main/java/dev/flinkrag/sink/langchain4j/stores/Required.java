package dev.flinkrag.sink.langchain4j.stores;

/** Checks of the store builders' options, failing when the job is built rather than in a task. */
final class Required {

    private Required() {}

    static String text(String store, String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(store + ": option '" + option + "' is required");
        }
        return value;
    }

    static int positive(String store, String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(store + ": option '" + option + "' must be at least 1, was " + value);
        }
        return value;
    }
}
