package dev.flinkrag.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server speaking OpenAI's {@code POST /v1/embeddings} (request and response JSON as the API
 * defines them), for what cannot run here. Vectors are derived from the text, so they are deterministic.
 * It counts requests and can inject faults: a share of requests answered 429 (with Retry-After) or 500.
 */
public final class FakeOpenAiEmbeddingServer implements AutoCloseable {

    public static final int DIMENSION = 8;

    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger faults = new AtomicInteger();
    public final AtomicInteger textsEmbedded = new AtomicInteger();
    public volatile double faultRate;
    volatile int forcedStatus;

    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(7);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    public FakeOpenAiEmbeddingServer() throws IOException {
        // without TCP_NODELAY, small responses wait for delayed ACKs (~40 ms per request on loopback)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", this::embeddings);
        server.setExecutor(executor);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        JsonNode request = json.readTree(exchange.getRequestBody());
        if (forcedStatus != 0) {
            error(exchange, forcedStatus, "invalid_request_error", "forced failure");
            return;
        }
        double roll;
        synchronized (random) {
            roll = random.nextDouble();
        }
        if (roll < faultRate / 2) {
            faults.incrementAndGet();
            exchange.getResponseHeaders().set("Retry-After", "0");
            error(exchange, 429, "rate_limit_exceeded", "Rate limit reached, retry later");
            return;
        }
        if (roll < faultRate) {
            faults.incrementAndGet();
            error(exchange, 500, "server_error", "The server had an error processing your request");
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = request.get("input");
        if (input.isArray()) {
            input.forEach(text -> inputs.add(text.asText()));
        } else {
            inputs.add(input.asText());
        }
        ObjectNode response = json.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode vector = item.putArray("embedding");
            for (float value : vectorOf(inputs.get(i))) {
                vector.add(value);
            }
            tokens += inputs.get(i).split("\\s+").length;
        }
        textsEmbedded.addAndGet(inputs.size());
        response.put("model", request.path("model").asText());
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        send(exchange, 200, json.writeValueAsBytes(response));
    }

    public static float[] vectorOf(String text) {
        return TestVectors.of(text, DIMENSION);
    }

    private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", type);
        send(exchange, status, json.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
