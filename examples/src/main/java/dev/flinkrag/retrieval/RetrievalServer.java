package dev.flinkrag.retrieval;

import dev.flinkrag.lucene.LuceneEmbeddingStore;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Answers retrieval requests over HTTP from any LangChain4j {@link EmbeddingStore}, for example the index
 * a running job keeps fresh.
 *
 * <ul>
 *   <li>{@code GET /v1/retrieve?query=...&k=5} or {@code POST /v1/retrieve} with {@code {"query": "...",
 *       "k": 5}}: the k nearest chunks as {@code [{"id", "text", "metadata", "score"}]}. With
 *       {@code mode=hybrid} (Lucene stores), BM25 on the query's words and vector similarity fused by
 *       reciprocal rank; scores are then fused scores.
 *   <li>{@code GET /v1/statistics}: figures from the supplier given at start (entries, lag, ...).
 * </ul>
 */
public final class RetrievalServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrievalServer.class);
    private static final int MAX_K = 100;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final EmbeddingStore<TextSegment> store;
    private final EmbeddingModel model;
    private final Supplier<Map<String, Object>> statistics;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    private RetrievalServer(EmbeddingStore<TextSegment> store, EmbeddingModel model,
            Supplier<Map<String, Object>> statistics, InetSocketAddress address) throws IOException {
        this.store = store;
        this.model = model;
        this.statistics = statistics;
        this.server = HttpServer.create(address, 0);
        server.createContext("/v1/retrieve", exchange -> handle(exchange, this::retrieve));
        server.createContext("/v1/statistics", exchange -> handle(exchange, ignored -> json.valueToTree(statistics.get())));
        server.setExecutor(executor);
        server.start();
    }

    /** Starts serving on {@code host:port} (port 0 picks a free one). */
    public static RetrievalServer start(EmbeddingStore<TextSegment> store, EmbeddingModel model,
            Supplier<Map<String, Object>> statistics, String host, int port) throws IOException {
        return new RetrievalServer(store, model, statistics, new InetSocketAddress(host, port));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private JsonNode retrieve(HttpExchange exchange) throws IOException {
        Map<String, String> request = new HashMap<>();
        if ("POST".equals(exchange.getRequestMethod())) {
            JsonNode body = json.readTree(readBody(exchange.getRequestBody()));
            if (body == null || !body.isObject()) {
                throw new BadRequest("the request body must be a JSON object");
            }
            body.fields().forEachRemaining(field -> request.put(field.getKey(), field.getValue().asText()));
        } else if ("GET".equals(exchange.getRequestMethod())) {
            request.putAll(queryParameters(exchange.getRequestURI().getRawQuery()));
        } else {
            throw new BadRequest("use GET or POST");
        }
        String query = request.get("query");
        if (query == null || query.isBlank()) {
            throw new BadRequest("field 'query' is required");
        }
        int k = parseK(request.getOrDefault("k", "5"));
        EmbeddingSearchRequest search = EmbeddingSearchRequest.builder()
                .queryEmbedding(model.embed(query).content())
                .maxResults(k)
                .build();
        String mode = request.getOrDefault("mode", "vector");
        var result = switch (mode) {
            case "vector" -> store.search(search);
            case "hybrid" -> {
                if (!(store instanceof LuceneEmbeddingStore lucene)) {
                    throw new BadRequest("field 'mode' is 'hybrid', which this store does not support");
                }
                yield lucene.hybridSearch(search, query);
            }
            default -> throw new BadRequest("field 'mode' must be 'vector' or 'hybrid', was '" + mode + "'");
        };
        ArrayNode matches = json.createArrayNode();
        for (EmbeddingMatch<TextSegment> match : result.matches()) {
            ObjectNode node = matches.addObject();
            node.put("id", match.embeddingId());
            node.put("score", match.score());
            if (match.embedded() != null) {
                node.put("text", match.embedded().text());
                node.set("metadata", json.valueToTree(match.embedded().metadata().toMap()));
            }
        }
        return matches;
    }

    private static int parseK(String value) {
        try {
            int k = Integer.parseInt(value.trim());
            if (k >= 1 && k <= MAX_K) {
                return k;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequest("field 'k' must be a whole number from 1 to " + MAX_K + ", was '" + value + "'");
    }

    private static String readBody(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequest("the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return parameters;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        int status = 200;
        JsonNode response;
        try {
            response = handler.handle(exchange);
        } catch (BadRequest | com.fasterxml.jackson.core.JsonProcessingException e) {
            status = 400;
            response = json.createObjectNode().put("error", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Retrieval request {} failed", exchange.getRequestURI().getPath(), e);
            status = 500;
            response = json.createObjectNode().put("error", "internal error: " + e.getClass().getSimpleName());
        }
        byte[] body = json.writeValueAsBytes(response);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @FunctionalInterface
    private interface Handler {
        JsonNode handle(HttpExchange exchange) throws IOException;
    }

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
