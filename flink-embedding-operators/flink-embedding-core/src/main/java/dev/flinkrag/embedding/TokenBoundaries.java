package dev.flinkrag.embedding;

import org.apache.flink.annotation.Experimental;

/**
 * A tokenizer that tells where its tokens end, so that a text can be cut between two of them (a chunker cutting a
 * run longer than its budget). Implemented by the tokenizer of the in-process models.
 */
@Experimental
public interface TokenBoundaries {

    /**
     * The end of each token of {@code text}, as an index into {@code text} (UTF-16, exclusive), in order. Characters
     * the tokenizer drops (control characters, accents) belong to no token.
     */
    int[] tokenEnds(String text);
}
