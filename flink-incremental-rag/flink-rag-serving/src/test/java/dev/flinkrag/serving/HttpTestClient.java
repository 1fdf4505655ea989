package dev.flinkrag.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Calls a server on loopback the way a Pathway client does: JSON POSTs, or GETs with query parameters. */
public final class HttpTestClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status, body as text, and as JSON where it is JSON. */
    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    @Nullable private final String token;

    public HttpTestClient(int port) {
        this(port, null);
    }

    private HttpTestClient(int port, @Nullable String token) {
        this("http://127.0.0.1:" + port, token);
    }

    private HttpTestClient(String base, @Nullable String token) {
        this.base = base;
        this.token = token;
    }

    public HttpTestClient withToken(@Nullable String bearer) {
        return new HttpTestClient(base, bearer);
    }

    public Response post(String path, Object body) {
        try {
            return postRaw(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response postRaw(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
    }

    public Response get(String path, Map<String, String> parameters) {
        String query = parameters.entrySet().stream()
                .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path + (query.isEmpty() ? "" : "?" + query)).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
