package dev.flinkrag.lucene;

/** A search result; {@code score} is Lucene's cosine score, {@code (1 + cosine) / 2}, in [0, 1]. */
public record SearchHit(StoredEntry entry, double score) {}
