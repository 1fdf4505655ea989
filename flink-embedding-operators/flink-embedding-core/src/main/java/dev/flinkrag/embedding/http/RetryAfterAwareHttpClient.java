package dev.flinkrag.embedding.http;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A LangChain4j {@link HttpClient} over the JDK's client that reports non-2xx answers as
 * {@link HttpResponseException}s carrying the server's {@code Retry-After}, so the embedding operator waits as
 * long as a rate-limited API asks instead of guessing. Embedding calls never stream: server-sent events are
 * not supported.
 */
@Internal
public final class RetryAfterAwareHttpClient implements HttpClient {

    private static final String RETRY_AFTER = "retry-after";

    private final java.net.http.HttpClient client;
    private final Duration readTimeout;

    RetryAfterAwareHttpClient(java.net.http.HttpClient client, Duration readTimeout) {
        this.client = client;
        this.readTimeout = readTimeout;
    }

    public static RetryAfterAwareHttpClientBuilder builder() {
        return new RetryAfterAwareHttpClientBuilder();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = client.send(toJdkRequest(request), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while calling " + request.url()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = response.headers().map();
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new HttpResponseException(response.statusCode(), body,
                    RetryAfter.parse(response.headers().firstValue(RETRY_AFTER).orElse(null), Clock.systemUTC()));
        }
        return SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(headers).body(body).build();
    }

    private java.net.http.HttpRequest toJdkRequest(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder =
                java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
        if (request.url().startsWith("http:")) {
            // plain-text local servers (vLLM, llama.cpp, Ollama) do not all accept an h2c upgrade request
            builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
        }
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        java.net.http.HttpRequest.BodyPublisher body = request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8);
        return builder.method(request.method().name(), body).build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        listener.onError(new UnsupportedOperationException("streaming is not used for embeddings"));
    }
}
