package dev.flinkrag.chunking;

import dev.flinkrag.embedding.TokenCountEstimatorProvider;
import dev.flinkrag.embedding.onnx.InProcessModels;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * How documents are cut into chunks.
 *
 * @param maxTokens the most tokens of one chunk; keep it within what the embedding model reads (the
 *     default model reads 126 and silently ignores the rest)
 * @param tokenizer counts tokens as the embedding model does
 */
@PublicEvolving
public record ChunkingOptions(int maxTokens, TokenCountEstimatorProvider tokenizer) implements Serializable {

    /** 100 tokens of all-MiniLM-L6-v2, which reads at most 126. */
    public static ChunkingOptions defaults() {
        return new ChunkingOptions(100, InProcessModels.allMiniLmL6V2QTokenizer());
    }

    public EditStableSplitter createSplitter() {
        return new EditStableSplitter(tokenizer.create(), maxTokens);
    }
}
