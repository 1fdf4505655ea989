package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Map;

/**
 * One document a store holds, as a listing returns it.
 *
 * @param id the document's id ({@code doc_id})
 * @param metadata the document's metadata, {@code doc_id} included
 * @param entries how many of its chunks the store holds (0: read, but nothing of it indexed)
 */
@PublicEvolving
public record IndexedDocument(String id, Map<String, Object> metadata, int entries) {}
