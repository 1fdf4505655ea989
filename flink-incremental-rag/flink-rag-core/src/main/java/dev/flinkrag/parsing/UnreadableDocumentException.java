package dev.flinkrag.parsing;

/** The content of a document cannot be turned into text; the message names the field and the problem. */
public class UnreadableDocumentException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnreadableDocumentException(String message) {
        super(message);
    }
}
