package dev.flinkrag.lucene;

import org.apache.flink.annotation.PublicEvolving;

/** A search result; {@code score} is Lucene's cosine score, {@code (1 + cosine) / 2}, in [0, 1]. */
@PublicEvolving
public record SearchHit(StoredEntry entry, double score) {}
