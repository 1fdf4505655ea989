package dev.flinkrag.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chroma's HTTP API v2 on loopback, enough of it for LangChain4j's {@code ChromaEmbeddingStore}: tenants,
 * databases, collections, add (an id that exists is ignored, as Chroma does), query (cosine distance, {@code
 * where} filters with $eq/$ne/$gt/$gte/$lt/$lte/$in/$nin/$and/$or) and delete by ids and/or {@code where}. Chroma
 * itself cannot run here; this speaks its wire protocol so the real client is exercised end to end.
 */
final class FakeChromaServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COLLECTION_PATH = Pattern.compile(
            "/api/v2/tenants/([^/]+)/databases/([^/]+)/collections(?:/([^/]+))?(?:/(add|query|delete))?");

    /** One stored record. */
    record Record(float[] embedding, String document, ObjectNode metadata) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Set<String> tenants = ConcurrentHashMap.newKeySet();
    private final Set<String> databases = ConcurrentHashMap.newKeySet();
    /** Collection name → id, and id → records. */
    private final Map<String, String> collectionIds = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Record>> collections = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger filteredDeletes = new AtomicInteger();

    FakeChromaServer() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The records of collection {@code name} (empty if it does not exist). */
    synchronized Map<String, Record> records(String name) {
        String id = collectionIds.get(name);
        return id == null ? Map.of() : Map.copyOf(collections.get(id));
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            JsonNode body = "POST".equals(method) ? JSON.readTree(exchange.getRequestBody()) : null;
            synchronized (this) {
                respond(exchange, route(method, path, body));
            }
        } catch (NotFound e) {
            send(exchange, 404, "{\"error\":\"NotFoundError\",\"message\":\"" + e.getMessage() + "\"}");
        } catch (RuntimeException e) {
            send(exchange, 400, "{\"error\":\"InvalidArgumentError\",\"message\":\"" + e.getMessage() + "\"}");
        }
    }

    private JsonNode route(String method, String path, JsonNode body) {
        Matcher collection = COLLECTION_PATH.matcher(path);
        if (collection.matches()) {
            return collection(method, collection.group(3), collection.group(4), body);
        }
        String[] parts = path.split("/");
        if (parts.length == 4 && parts[3].equals("tenants") && method.equals("POST")) {
            tenants.add(body.get("name").asText());
            return JSON.createObjectNode();
        }
        if (parts.length == 5 && parts[3].equals("tenants") && method.equals("GET")) {
            return named(tenants.contains(parts[4]), parts[4]);
        }
        if (parts.length == 6 && parts[5].equals("databases") && method.equals("POST")) {
            databases.add(parts[4] + "/" + body.get("name").asText());
            return JSON.createObjectNode();
        }
        if (parts.length == 7 && parts[5].equals("databases") && method.equals("GET")) {
            return named(databases.contains(parts[4] + "/" + parts[6]), parts[6]);
        }
        throw new NotFound(method + " " + path);
    }

    private static JsonNode named(boolean exists, String name) {
        if (!exists) {
            throw new NotFound(name);
        }
        return JSON.createObjectNode().put("name", name);
    }

    private JsonNode collection(String method, String nameOrId, String action, JsonNode body) {
        if (nameOrId == null && method.equals("POST")) {
            String name = body.get("name").asText();
            String id = collectionIds.computeIfAbsent(name, n -> UUID.randomUUID().toString());
            collections.putIfAbsent(id, new LinkedHashMap<>());
            return JSON.createObjectNode().put("id", id).put("name", name).set("metadata", body.get("metadata"));
        }
        if (action == null && method.equals("GET")) {
            String id = collectionIds.get(nameOrId);
            if (id == null) {
                throw new NotFound("collection " + nameOrId);
            }
            return JSON.createObjectNode().put("id", id).put("name", nameOrId);
        }
        if (action == null && method.equals("DELETE")) {
            String id = collectionIds.remove(nameOrId);
            if (id != null) {
                collections.remove(id);
            }
            return JSON.createObjectNode();
        }
        Map<String, Record> records = collections.get(nameOrId);
        if (records == null) {
            throw new NotFound("collection id " + nameOrId);
        }
        return switch (action) {
            case "add" -> add(records, body);
            case "query" -> query(records, body);
            case "delete" -> delete(records, body);
            default -> throw new NotFound(action);
        };
    }

    private static JsonNode add(Map<String, Record> records, JsonNode body) {
        ArrayNode ids = (ArrayNode) body.get("ids");
        for (int i = 0; i < ids.size(); i++) {
            JsonNode vector = body.get("embeddings").get(i);
            float[] embedding = new float[vector.size()];
            for (int d = 0; d < embedding.length; d++) {
                embedding[d] = (float) vector.get(d).asDouble();
            }
            JsonNode metadata = body.path("metadatas").path(i);
            records.putIfAbsent(ids.get(i).asText(), new Record(embedding, body.path("documents").path(i).asText(null),
                    metadata.isObject() ? (ObjectNode) metadata : null));
        }
        return JSON.createObjectNode();
    }

    private JsonNode query(Map<String, Record> records, JsonNode body) {
        JsonNode query = body.get("query_embeddings").get(0);
        List<Map.Entry<String, Double>> hits = new ArrayList<>();
        records.forEach((id, record) -> {
            if (matches(record.metadata(), body.get("where"))) {
                hits.add(Map.entry(id, cosineDistance(query, record.embedding())));
            }
        });
        hits.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode ids = response.putArray("ids").addArray();
        ArrayNode embeddings = response.putArray("embeddings").addArray();
        ArrayNode documents = response.putArray("documents").addArray();
        ArrayNode metadatas = response.putArray("metadatas").addArray();
        ArrayNode distances = response.putArray("distances").addArray();
        for (Map.Entry<String, Double> hit : hits.subList(0, Math.min(hits.size(), body.get("n_results").asInt()))) {
            Record record = records.get(hit.getKey());
            ids.add(hit.getKey());
            ArrayNode vector = embeddings.addArray();
            for (float value : record.embedding()) {
                vector.add(value);
            }
            documents.add(record.document());
            metadatas.add(record.metadata());
            distances.add(hit.getValue());
        }
        return response;
    }

    private JsonNode delete(Map<String, Record> records, JsonNode body) {
        JsonNode where = body.get("where");
        if (where != null && !where.isNull()) {
            filteredDeletes.incrementAndGet();
        }
        Set<String> ids = new HashSet<>();
        body.path("ids").forEach(id -> ids.add(id.asText()));
        records.entrySet().removeIf(entry -> (!body.hasNonNull("ids") || ids.contains(entry.getKey()))
                && matches(entry.getValue().metadata(), where));
        return JSON.createObjectNode();
    }

    /** Chroma's {@code where}: a record without the key never matches a comparison on it. */
    private static boolean matches(ObjectNode metadata, JsonNode where) {
        if (where == null || where.isNull() || where.isEmpty()) {
            return true;
        }
        if (where.has("$and")) {
            for (JsonNode clause : where.get("$and")) {
                if (!matches(metadata, clause)) {
                    return false;
                }
            }
            return true;
        }
        if (where.has("$or")) {
            for (JsonNode clause : where.get("$or")) {
                if (matches(metadata, clause)) {
                    return true;
                }
            }
            return false;
        }
        Map.Entry<String, JsonNode> condition = where.fields().next();
        JsonNode value = metadata == null ? null : metadata.get(condition.getKey());
        if (value == null) {
            return false;
        }
        JsonNode test = condition.getValue();
        if (!test.isObject()) {
            return equal(value, test);
        }
        Map.Entry<String, JsonNode> operator = test.fields().next();
        JsonNode operand = operator.getValue();
        return switch (operator.getKey()) {
            case "$eq" -> equal(value, operand);
            case "$ne" -> !equal(value, operand);
            case "$gt" -> value.asDouble() > operand.asDouble();
            case "$gte" -> value.asDouble() >= operand.asDouble();
            case "$lt" -> value.asDouble() < operand.asDouble();
            case "$lte" -> value.asDouble() <= operand.asDouble();
            case "$in" -> contains(operand, value);
            case "$nin" -> !contains(operand, value);
            default -> throw new IllegalArgumentException("unsupported operator " + operator.getKey());
        };
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.asDouble() == b.asDouble() : a.equals(b);
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (equal(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    private static double cosineDistance(JsonNode query, float[] vector) {
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < vector.length; i++) {
            double q = query.get(i).asDouble();
            dot += q * vector[i];
            a += q * q;
            b += (double) vector[i] * vector[i];
        }
        return 1 - dot / Math.sqrt(a * b);
    }

    private static void respond(HttpExchange exchange, JsonNode body) throws IOException {
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }
}
