package dev.flinkrag.lucene;

import org.apache.flink.annotation.Internal;

import java.util.Map;

/** One entry as the index holds it. */
@Internal
public record StoredEntry(String id, String text, float[] vector, Map<String, Object> metadata) {}
