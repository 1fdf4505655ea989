package dev.flinkrag.embedding;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Which model failures are worth another try: rate limits (429), server errors (5xx), request timeouts
 * (408) and I/O problems such as timeouts and connection resets. Everything else (bad request, bad key,
 * unknown model, a wrong answer) fails the same way again.
 */
final class RetryableFailures {

    private RetryableFailures() {}

    static boolean isRetryable(Throwable failure) {
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
}
