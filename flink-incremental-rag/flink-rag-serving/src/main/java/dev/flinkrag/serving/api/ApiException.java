package dev.flinkrag.serving.api;

import org.apache.flink.annotation.Internal;

/** A request the server refuses, with the HTTP status and a message that names the field at fault. */
@Internal
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public int status() {
        return status;
    }
}
