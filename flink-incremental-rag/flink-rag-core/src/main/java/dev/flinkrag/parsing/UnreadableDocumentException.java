package dev.flinkrag.parsing;

import org.apache.flink.annotation.PublicEvolving;

/** The content of a document cannot be turned into text; the message names the field and the problem. */
@PublicEvolving
public class UnreadableDocumentException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnreadableDocumentException(String message) {
        super(message);
    }
}
