package dev.flinkrag.embedding;

/** What the embedding operator does with a text longer than the model reads: never a silent cut. */
public enum TokenLimitPolicy {
    /** The record goes to the dead-letter output, naming its length and the model's limit. */
    DEAD_LETTER,
    /** The text is cut at the last whole word that fits, embedded, and counted in the {@code truncated} metric. */
    TRUNCATE
}
