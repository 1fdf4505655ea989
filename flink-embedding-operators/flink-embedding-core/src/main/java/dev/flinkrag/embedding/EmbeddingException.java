package dev.flinkrag.embedding;

import org.apache.flink.annotation.PublicEvolving;

/** A model call failed or returned something that must not reach a vector store. */
@PublicEvolving
public class EmbeddingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddingException(String message) {
        super(message);
    }

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }
}
