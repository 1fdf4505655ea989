package dev.flinkrag.embedding;

import dev.flinkrag.embedding.http.HttpResponseException;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Sorts model failures: worth another try, about the whole request, or about some text in it. */
@Internal
public final class ModelFailures {

    private static final int MAX_REASON_LENGTH = 500;

    private ModelFailures() {}

    /**
     * Rate limits (429), server errors (5xx), request timeouts (408) and I/O problems such as timeouts and
     * connection resets. Everything else (bad request, bad key, unknown model, a wrong answer) fails the
     * same way again.
     */
    public static boolean isRetryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NonRetriableException || cause instanceof EmbeddingException) {
                return false;
            }
            if (cause instanceof RetriableException
                    || cause instanceof IOException
                    || cause instanceof UncheckedIOException
                    || cause instanceof TimeoutException) {
                return true;
            }
            if (cause instanceof HttpException http) {
                int status = http.statusCode();
                return status == 408 || status == 429 || status >= 500;
            }
        }
        return false;
    }

    /** A wrong key, a missing permission or an unknown model fails every text alike: no text is to blame. */
    public static boolean concernsEveryText(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof ModelNotFoundException) {
                return true;
            }
            if (cause instanceof HttpException http) {
                int status = http.statusCode();
                return status == 401 || status == 403 || status == 404;
            }
        }
        return false;
    }

    /** The delay a server asked for in its Retry-After header, if it did. */
    @Nullable
    public static Duration serverRequestedDelay(@Nullable Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpResponseException response) {
                return response.retryAfter().orElse(null);
            }
        }
        return null;
    }

    /** One line for a dead letter: the status when there is one, and the server's message, cut to a sane length. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpResponseException response) {
                message = response.getMessage(); // already names the status
                break;
            }
            if (cause instanceof HttpException http) {
                message = "HTTP " + http.statusCode() + ": " + http.getMessage();
                break;
            }
        }
        String line = (message == null ? failure.getClass().getSimpleName() : message).replaceAll("\\s+", " ").trim();
        return line.length() <= MAX_REASON_LENGTH ? line : line.substring(0, MAX_REASON_LENGTH) + "…";
    }
}
