package dev.flinkrag.embedding.http;

import dev.langchain4j.exception.HttpException;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Optional;

/** A non-2xx answer, keeping what LangChain4j's own {@link HttpException} drops: the server's Retry-After. */
@Internal
public final class HttpResponseException extends HttpException {

    private static final long serialVersionUID = 1L;

    @Nullable private final Duration retryAfter;

    public HttpResponseException(int statusCode, String body, @Nullable Duration retryAfter) {
        super(statusCode, "HTTP " + statusCode + ": " + body);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait before the next attempt, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
