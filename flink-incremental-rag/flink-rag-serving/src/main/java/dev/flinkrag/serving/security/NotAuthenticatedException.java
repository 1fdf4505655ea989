package dev.flinkrag.serving.security;

import org.apache.flink.annotation.PublicEvolving;

/** A request without a valid token where one is needed: HTTP 401. The message never holds the token. */
@PublicEvolving
public final class NotAuthenticatedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NotAuthenticatedException(String message) {
        super(message);
    }
}
