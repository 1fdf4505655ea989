package dev.flinkrag.serving.answer;

import org.apache.flink.annotation.PublicEvolving;

/** A request named a chat model this server does not serve; the message names the models it does. */
@PublicEvolving
public final class ModelNotServedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ModelNotServedException(String message) {
        super(message);
    }
}
