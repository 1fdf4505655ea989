package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;

/** What the embedding operator does with a text longer than the model reads: never a silent cut. */
@PublicEvolving
public enum TokenLimitPolicy {
    /** The record goes to the dead-letter output, naming its length and the model's limit. */
    DEAD_LETTER,
    /** The text is cut at the last whole word that fits, embedded, and counted in the {@code truncated} metric. */
    TRUNCATE
}
