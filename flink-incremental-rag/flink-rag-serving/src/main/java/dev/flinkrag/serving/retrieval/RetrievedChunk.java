package dev.flinkrag.serving.retrieval;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Map;

/**
 * One chunk a retrieval returns.
 *
 * @param id the chunk's id in the store
 * @param text its text
 * @param metadata its document's metadata with {@code doc_id} and {@code ordinal}
 * @param score the store's relevance (LangChain4j's: {@code (1 + cosine) / 2}), or the fused score of a hybrid search
 * @param dist Pathway's distance, lower is nearer: {@code 1 - cosine} for a vector search, the negated fused score
 *     for a hybrid one
 */
@PublicEvolving
public record RetrievedChunk(String id, String text, Map<String, Object> metadata, double score, double dist) {}
