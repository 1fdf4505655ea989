package dev.flinkrag.serving.filter;

import org.apache.flink.annotation.PublicEvolving;

/** A metadata filter outside the supported subset; the message names the token and its position. */
@PublicEvolving
public final class InvalidFilterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidFilterException(String message) {
        super(message);
    }
}
