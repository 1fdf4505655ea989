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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server speaking OpenAI's {@code POST /v1/embeddings} and Ollama's {@code POST /api/embed}
 * (request and response JSON as those APIs define them), for what cannot run here. Vectors are derived from
 * the text, so they are deterministic. Switchable faults: a share of requests answered 429 with
 * Retry-After or 500, cut off without a response, or left hanging past the client's timeout; random slowness; texts containing
 * {@link #REFUSED_MARKER} refused with 400; texts containing {@link #WRONG_SIZE_MARKER} answered with a
 * vector one dimension too long.
 */
public final class FakeEmbeddingServer implements AutoCloseable {

    public static final int DIMENSION = 8;
    public static final String REFUSED_MARKER = "REFUSE-ME";
    public static final String WRONG_SIZE_MARKER = "WRONG-SIZE";
    private static final long HANG_MARGIN_MILLIS = 300;

    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger faults = new AtomicInteger();
    public final AtomicInteger textsEmbedded = new AtomicInteger();
    public final AtomicInteger maxInputsPerRequest = new AtomicInteger();
    public final AtomicInteger maxConcurrentRequests = new AtomicInteger();
    public final Map<String, AtomicInteger> embeddedTimes = new ConcurrentHashMap<>();
    /** When each request arrived (System.nanoTime()). */
    public final List<Long> arrivals = new CopyOnWriteArrayList<>();

    /** Answers this many coming requests with 429 and {@link #retryAfter}, before any other fault. */
    public final AtomicInteger rateLimitNext = new AtomicInteger();
    public volatile double rateLimitRate;
    public volatile String retryAfter = "0";
    public volatile double serverErrorRate;
    public volatile double hangRate;
    public volatile double resetRate;
    public volatile long hangMillis = 3_000;
    /** The client's timeout: a hanging request stops counting as in flight shortly before it, when the client gives up. */
    public volatile long clientTimeoutMillis = 1_000;
    public volatile int maxDelayMillis;
    public volatile int forcedStatus;

    private final AtomicInteger concurrentRequests = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(7);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    public FakeEmbeddingServer() throws IOException {
        // without TCP_NODELAY, small responses wait for delayed ACKs (~40 ms per request on loopback)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> serve(exchange, Protocol.OPENAI));
        server.createContext("/api/embed", exchange -> serve(exchange, Protocol.OLLAMA));
        server.setExecutor(executor);
        server.start();
    }

    /** Base URL for OpenAI-compatible clients. */
    public String baseUrl() {
        return root() + "/v1";
    }

    /** Base URL for Ollama clients. */
    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private enum Protocol { OPENAI, OLLAMA }

    private void serve(HttpExchange exchange, Protocol protocol) throws IOException {
        requests.incrementAndGet();
        arrivals.add(System.nanoTime());
        maxConcurrentRequests.accumulateAndGet(concurrentRequests.incrementAndGet(), Math::max);
        try {
            answer(exchange, protocol);
        } finally {
            concurrentRequests.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange, Protocol protocol) throws IOException {
        JsonNode request = json.readTree(exchange.getRequestBody());
        List<String> inputs = new ArrayList<>();
        JsonNode input = request.get("input");
        if (input.isArray()) {
            input.forEach(text -> inputs.add(text.asText()));
        } else {
            inputs.add(input.asText());
        }
        maxInputsPerRequest.accumulateAndGet(inputs.size(), Math::max);
        if (forcedStatus != 0) {
            error(exchange, protocol, forcedStatus, "invalid_request_error", "forced failure");
            return;
        }
        double roll;
        int delay;
        synchronized (random) {
            roll = random.nextDouble();
            delay = maxDelayMillis == 0 ? 0 : random.nextInt(maxDelayMillis);
        }
        sleep(delay);
        if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || roll < rateLimitRate) {
            faults.incrementAndGet();
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
            error(exchange, protocol, 429, "rate_limit_exceeded", "Rate limit reached, retry later");
            return;
        }
        if (roll < rateLimitRate + serverErrorRate) {
            faults.incrementAndGet();
            error(exchange, protocol, 500, "server_error", "The server had an error processing your request");
            return;
        }
        if (roll < rateLimitRate + serverErrorRate + resetRate) {
            faults.incrementAndGet();
            exchange.close(); // the connection ends without a response, as with a reset or a crashed proxy
            return;
        }
        if (roll < rateLimitRate + serverErrorRate + resetRate + hangRate) {
            faults.incrementAndGet();
            // the client's timer started when it sent the request, before this thread got it, so it may give up
            // (and retry) earlier than clientTimeoutMillis from here: stop counting it with a margin for that delay
            // (20 ms was too little on a loaded machine: a retry was counted beside its hanging predecessor)
            sleep(clientTimeoutMillis - HANG_MARGIN_MILLIS);
            concurrentRequests.decrementAndGet(); // the finally block must not count it again
            sleep(hangMillis - clientTimeoutMillis + HANG_MARGIN_MILLIS);
            concurrentRequests.incrementAndGet();
            exchange.close();
            return;
        }
        if (inputs.stream().anyMatch(text -> text.contains(REFUSED_MARKER))) {
            error(exchange, protocol, 400, "invalid_request_error", "This input is not allowed");
            return;
        }
        List<float[]> vectors = new ArrayList<>();
        int tokens = 0;
        for (String text : inputs) {
            float[] vector = text.contains(WRONG_SIZE_MARKER) ? TestVectors.of(text, DIMENSION + 1) : vectorOf(text);
            vectors.add(vector);
            tokens += text.split("\\s+").length;
            embeddedTimes.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
        }
        textsEmbedded.addAndGet(inputs.size());
        String model = request.path("model").asText();
        send(exchange, 200, json.writeValueAsBytes(protocol == Protocol.OPENAI
                ? openAiResponse(model, vectors, tokens) : ollamaResponse(model, vectors, tokens)));
    }

    private ObjectNode openAiResponse(String model, List<float[]> vectors, int tokens) {
        ObjectNode response = json.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            addVector(data.addObject().put("object", "embedding").put("index", i).putArray("embedding"), vectors.get(i));
        }
        response.put("model", model);
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return response;
    }

    private ObjectNode ollamaResponse(String model, List<float[]> vectors, int tokens) {
        ObjectNode response = json.createObjectNode().put("model", model);
        ArrayNode embeddings = response.putArray("embeddings");
        vectors.forEach(vector -> addVector(embeddings.addArray(), vector));
        return response.put("total_duration", 14_143_917).put("load_duration", 1_019_500)
                .put("prompt_eval_count", tokens);
    }

    private static void addVector(ArrayNode array, float[] vector) {
        for (float value : vector) {
            array.add(value);
        }
    }

    public static float[] vectorOf(String text) {
        return TestVectors.of(text, DIMENSION);
    }

    private void error(HttpExchange exchange, Protocol protocol, int status, String type, String message)
            throws IOException {
        ObjectNode body = json.createObjectNode();
        if (protocol == Protocol.OPENAI) {
            body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", type);
        } else {
            body.put("error", message);
        }
        send(exchange, status, json.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
