package dev.flinkrag.embedding.chat;

import org.apache.flink.annotation.PublicEvolving;

import java.util.OptionalInt;

/**
 * A chat call that failed for good: not retryable, or still failing when the retries ran out. The message names the
 * server, the attempts and the server's reason; {@link #status()} is the last HTTP status, if there was one.
 */
@PublicEvolving
public final class ChatFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int attempts;
    private final boolean retryable;

    ChatFailedException(String message, int status, int attempts, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.attempts = attempts;
        this.retryable = retryable;
    }

    /** The HTTP status of the last attempt; empty for a timeout or a connection failure. */
    public OptionalInt status() {
        return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
    }

    public int attempts() {
        return attempts;
    }

    /** Whether the failure was transient (rate limit, server error, timeout), so a later call may succeed. */
    public boolean transientFailure() {
        return retryable;
    }

    /**
     * Whether the model refused this one request (a 4xx other than 401, 403, 404 and 429: a prompt too long, content
     * it will not take), so the request is at fault and others may still succeed. Otherwise the server, the key or the
     * model name is at fault and every request would fail alike.
     */
    public boolean refusedRequest() {
        return !retryable && status >= 400 && status < 500 && status != 401 && status != 403 && status != 404
                && status != 429;
    }
}
