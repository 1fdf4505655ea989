package dev.flinkrag.embedding.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback chat server speaking OpenAI's {@code POST /v1/chat/completions} and Ollama's {@code POST /api/chat}
 * (not streamed), request and response JSON as those APIs define them, standing in for an LLM, which cannot run
 * here. It answers from the prompt: the numbered context passage ({@code [n] …} lines) sharing the most words with
 * the question, as {@code "<passage's first sentence> [n]"}, or a fixed text when there is no context. Faults on
 * demand: the next requests answered 429 (with Retry-After), 500, or left hanging past the client's timeout;
 * models outside {@link #models} are 404.
 */
public final class FakeChatServer implements AutoCloseable {

    public static final String NO_CONTEXT_ANSWER = "I have no context to answer from.";
    private static final Pattern PASSAGE = Pattern.compile("^\\[(\\d+)\\]\\s*(.*)$", Pattern.MULTILINE);

    public final Set<String> models = new HashSet<>(Set.of("fake-chat", "fake-chat-large"));
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger rateLimitNext = new AtomicInteger();
    public final AtomicInteger serverErrorNext = new AtomicInteger();
    public final AtomicInteger hangNext = new AtomicInteger();
    public volatile String retryAfter = "0";
    public volatile long hangMillis = 3_000;
    /** Each answer takes up to this long (uniformly at random), so concurrent answers finish out of order. */
    public volatile long maxDelayMillis = 0;
    /** A question containing this gets a 400 (the prompt is too long for the model), as a model refuses a request. */
    public volatile String refuseQuestionsContaining = null;
    /** Every request body received, in order. */
    public final List<JsonNode> received = new CopyOnWriteArrayList<>();
    /** The Authorization header of every request ("" when absent). */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    public FakeChatServer() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> serve(exchange, true));
        server.createContext("/api/chat", exchange -> serve(exchange, false));
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

    private void serve(HttpExchange exchange, boolean openAi) throws IOException {
        requests.incrementAndGet();
        JsonNode request = json.readTree(exchange.getRequestBody());
        received.add(request);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "" : authorization);
        if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
            error(exchange, openAi, 429, "rate_limit_exceeded", "Rate limit reached, retry later");
            return;
        }
        if (serverErrorNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(exchange, openAi, 500, "server_error", "The server had an error processing your request");
            return;
        }
        if (hangNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            sleep(hangMillis);
            exchange.close();
            return;
        }
        String model = request.path("model").asText();
        if (!models.contains(model)) {
            error(exchange, openAi, 404, "model_not_found", "The model '" + model + "' does not exist");
            return;
        }
        String prompt = lastUserMessage(request);
        String refused = refuseQuestionsContaining;
        if (refused != null && prompt.contains(refused)) {
            error(exchange, openAi, 400, "context_length_exceeded", "This model's maximum context length is exceeded");
            return;
        }
        if (maxDelayMillis > 0) {
            sleep(ThreadLocalRandom.current().nextLong(maxDelayMillis + 1));
        }
        String answer = answer(prompt);
        int promptTokens = prompt.split("\\s+").length;
        int answerTokens = answer.split("\\s+").length;
        ObjectNode response = json.createObjectNode();
        if (openAi) {
            response.put("id", "chatcmpl-" + requests.get()).put("object", "chat.completion")
                    .put("created", System.currentTimeMillis() / 1000).put("model", model);
            ObjectNode choice = response.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", answer);
            choice.put("finish_reason", "stop");
            response.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", answerTokens)
                    .put("total_tokens", promptTokens + answerTokens);
        } else {
            response.put("model", model).put("created_at", "2026-12-02T12:00:00.000000Z");
            response.putObject("message").put("role", "assistant").put("content", answer);
            response.put("done", true).put("done_reason", "stop").put("total_duration", 1_200_000_000L)
                    .put("prompt_eval_count", promptTokens).put("eval_count", answerTokens);
        }
        send(exchange, 200, json.writeValueAsBytes(response));
    }

    private static String lastUserMessage(JsonNode request) {
        String prompt = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                prompt = content.isArray() ? content.path(0).path("text").asText() : content.asText();
            }
        }
        return prompt;
    }

    /** The first sentence of the passage sharing the most words with the prompt's last line (the question). */
    public static String answer(String prompt) {
        String[] lines = prompt.strip().split("\n");
        Set<String> asked = words(lines[lines.length - 1]);
        Matcher passages = PASSAGE.matcher(prompt);
        String best = null;
        int bestNumber = 0;
        int bestShared = -1;
        while (passages.find()) {
            Set<String> shared = words(passages.group(2));
            shared.retainAll(asked);
            if (shared.size() > bestShared) {
                bestShared = shared.size();
                best = passages.group(2);
                bestNumber = Integer.parseInt(passages.group(1));
            }
        }
        if (best == null) {
            return NO_CONTEXT_ANSWER;
        }
        String sentence = best.split("(?<=[.!?])\\s", 2)[0].strip();
        return sentence + " [" + bestNumber + "]";
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() > 3) {
                words.add(word);
            }
        }
        return words;
    }

    private void error(HttpExchange exchange, boolean openAi, int status, String type, String message)
            throws IOException {
        ObjectNode body = json.createObjectNode();
        if (openAi) {
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
