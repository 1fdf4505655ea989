package dev.flinkrag.table.functions;

import dev.flinkrag.chunking.ChunkIds;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;

import org.apache.flink.annotation.Internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The pipeline's edit-stable splitting for the SQL functions, per token budget: the same tokenizer (the model's),
 * the same chunk texts and the same chunk ids as a DataStream pipeline with that model and budget.
 */
@Internal
final class DocumentSplitting {

    /** A document's chunks in order. */
    record Chunks(List<String> texts, List<UUID> ids) {}

    private final EmbeddingModelProvider model;
    private final Map<Integer, Function<String, List<String>>> splitters = new HashMap<>();

    DocumentSplitting(EmbeddingModelProvider model) {
        this.model = model;
    }

    Chunks of(String docId, String text, int maxTokens) {
        List<String> texts = splitters.computeIfAbsent(maxTokens, tokens -> {
            try {
                return ChunkingOptions.editStable(tokens).forModel(model).createSplitter();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("max_tokens: " + e.getMessage(), e);
            }
        }).apply(text);
        return new Chunks(texts, ChunkIds.of(docId, texts));
    }
}
