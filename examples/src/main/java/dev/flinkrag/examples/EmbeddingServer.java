package dev.flinkrag.examples;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingModels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.apache.flink.util.ParameterTool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves an in-process model over OpenAI's embeddings API ({@code POST /v1/embeddings}), so jobs embed through
 * {@code --model.provider openai --model.base-url http://host:8091/v1} with exactly the vectors of the in-process
 * model, one model in memory for all of them. {@code GET /v1/embeddings/stats} says how many texts it embedded and how
 * many of those it had embedded before: what a job paid twice (after a failure, say).
 *
 * <pre>
 * java -cp flink-rag-examples.jar dev.flinkrag.examples.EmbeddingServer [--port 8091] [--model.provider bge-small-en-v1.5-q]
 * </pre>
 */
public final class EmbeddingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddingModel model;
    private final String modelName;
    private final Javalin app;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong texts = new AtomicLong();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private EmbeddingServer(EmbeddingModelProvider provider, int port) {
        this.model = provider.create();
        this.modelName = provider.modelId();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.routes.post("/v1/embeddings", this::embed);
            config.routes.get("/v1/embeddings/stats", this::stats);
        });
    }

    /** Starts serving {@code provider}'s model on loopback; port 0 picks a free one. */
    public static EmbeddingServer start(EmbeddingModelProvider provider, int port) {
        EmbeddingServer server = new EmbeddingServer(provider, port);
        server.app.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        ParameterTool options = ParameterTool.fromArgs(args);
        try (EmbeddingServer server = start(EmbeddingModels.fromOptions(options.toMap()), options.getInt("port", 8091))) {
            System.out.println("[flink-rag] serving " + server.modelName + " on http://127.0.0.1:" + server.port()
                    + "/v1/embeddings");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
    }

    public int port() {
        return app.port();
    }

    private void embed(Context ctx) throws Exception {
        JsonNode input = JSON.readTree(ctx.body()).path("input");
        List<TextSegment> segments = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(text -> segments.add(TextSegment.from(text.asText())));
        } else if (input.isTextual()) {
            segments.add(TextSegment.from(input.asText()));
        } else {
            ctx.status(400).json(Map.of("error", Map.of("message", "field 'input' must be a string or an array of "
                    + "strings", "type", "invalid_request_error")));
            return;
        }
        List<Embedding> vectors = model.embedAll(segments).content();
        requests.incrementAndGet();
        texts.addAndGet(segments.size());
        segments.forEach(segment -> seen.add(digest(segment.text())));
        ObjectNode response = JSON.createObjectNode().put("object", "list").put("model", modelName);
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (float value : vectors.get(i).vector()) {
                vector.add(value);
            }
        }
        response.putObject("usage").put("prompt_tokens", 0).put("total_tokens", 0);
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(response));
    }

    /** The counters are read one by one, not under one lock: exact when no request is in flight (as tests read them). */
    private void stats(Context ctx) {
        long embedded = texts.get();
        ctx.json(Map.of("requests", requests.get(), "texts", embedded, "distinct_texts", seen.size(),
                "repeated_texts", embedded - seen.size()));
    }

    private static String digest(String text) {
        try {
            return new String(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.ISO_8859_1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
