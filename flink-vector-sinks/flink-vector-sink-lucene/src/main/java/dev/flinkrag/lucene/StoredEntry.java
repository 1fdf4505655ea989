package dev.flinkrag.lucene;

import java.util.Map;

/** One entry as the index holds it. */
public record StoredEntry(String id, String text, float[] vector, Map<String, Object> metadata) {}
