package dev.flinkrag.serving.api;

import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.serving.HttpTestClient;
import dev.flinkrag.serving.SampleIndex;
import dev.flinkrag.serving.SampleServers;
import dev.flinkrag.serving.ServedStores;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.flinkrag.serving.HttpTestClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every Pathway route against the sample index in Lucene and in pgvector: the recorded request shapes get the
 * recorded response shapes, and what comes back is right (nearest first, filters pushed down, every document
 * listed once, figures of the index).
 */
class PathwayApiITCase {

    @TempDir
    static Path dir;

    private static SampleServers samples;

    @BeforeAll
    static void serve() throws Exception {
        samples = SampleServers.start(dir, AccessControl.open());
    }

    @AfterAll
    static void stop() throws Exception {
        samples.close();
    }

    private static HttpTestClient client(ServedStores store) {
        return samples.client(store);
    }

    static Stream<Arguments> exchanges() throws Exception {
        JsonNode contract;
        try (InputStream in = PathwayApiITCase.class.getResourceAsStream("/pathway-contract.json")) {
            contract = JSON.readTree(in);
        }
        List<Arguments> arguments = new ArrayList<>();
        for (ServedStores store : ServedStores.values()) {
            for (JsonNode exchange : contract.get("exchanges")) {
                arguments.add(Arguments.of(store, exchange.get("name").asText(), exchange));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("exchanges")
    void answersPathwaysRequestsInPathwaysShapes(ServedStores store, String name, JsonNode exchange) {
        String route = exchange.get("route").asText();
        HttpTestClient.Response response;
        if (exchange.get("method").asText().equals("GET")) {
            Map<String, String> parameters = new HashMap<>();
            exchange.get("request").fields().forEachRemaining(f -> parameters.put(f.getKey(), f.getValue().asText()));
            response = client(store).get(route, parameters);
        } else {
            response = client(store).post(route, exchange.get("request"));
        }
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertShape(response.json(), exchange.get("response"), "response");
    }

    /**
     * Words of the sample documents that exactly one chunk holds, asked alone (as one looks up an identifier): hybrid
     * search returns that chunk at k = 3 in both stores, whatever the vector side makes of the word.
     */
    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void hybridRetrieveReturnsTheOneChunkHoldingARareWordAtKThree(ServedStores store) {
        Map<String, Set<String>> chunksByWord = new HashMap<>();
        for (SampleIndex.Chunk chunk : SampleIndex.chunks()) {
            for (String word : chunk.text().toLowerCase(java.util.Locale.ROOT).split("[^a-z]+")) {
                if (word.length() >= 8) {
                    chunksByWord.computeIfAbsent(word, w -> new TreeSet<>()).add(chunk.id());
                }
            }
        }
        List<String> rare = chunksByWord.entrySet().stream().filter(entry -> entry.getValue().size() == 1)
                .map(Map.Entry::getKey).sorted().limit(20).toList();
        assertThat(rare).hasSize(20);
        for (String word : rare) {
            JsonNode results = client(store).post("/v1/retrieve", Map.of("query",
                    word, "k", 3, "mode", "hybrid")).json();
            assertThat(results).hasSize(3);
            List<String> ids = new ArrayList<>();
            results.forEach(result -> ids.add(result.get("id").asText()));
            assertThat(ids).as("hybrid top 3 for '%s': %s", word, results).contains(chunksByWord.get(word).iterator().next());
        }
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void retrieveReturnsTheNearestChunksFirstWithTheirDistances(ServedStores store) {
        SampleIndex.Chunk asked = SampleIndex.chunks().get(40);
        JsonNode results = client(store).post("/v1/retrieve", Map.of("query", asked.text(), "k", 4)).json();
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("text").asText()).isEqualTo(asked.text());
        assertThat(results.get(0).get("id").asText()).isEqualTo(asked.id());
        assertThat(results.get(0).get("dist").asDouble()).isLessThan(0.01);
        assertThat(results.get(0).get("metadata").get("doc_id").asText()).isEqualTo(asked.docId());
        assertThat(results.get(0).get("metadata").get("path").asText()).endsWith(asked.docId());
        List<Double> distances = new ArrayList<>();
        results.forEach(result -> distances.add(result.get("dist").asDouble()));
        assertThat(distances).isSorted();
        for (JsonNode result : results) {
            assertThat(result.get("dist").asDouble()).isCloseTo(2 * (1 - result.get("score").asDouble()),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void retrieveDefaultsKAndReadsKFromAQueryString(ServedStores store) {
        assertThat(client(store).post("/v1/retrieve", Map.of("query", "tides")).json()).hasSize(3);
        assertThat(client(store).get("/v1/retrieve", Map.of("query", "tides", "k", "7")).json()).hasSize(7);
        // body fields win over query-string fields, as in Pathway
        assertThat(client(store).postRaw("/v1/retrieve?k=9", "{\"query\": \"tides\", \"k\": 2}").json()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void metadataFiltersSelectInsideTheSearchSoKHitsComeBack(ServedStores store) {
        long carls = chunksWhere(doc -> doc.metadata().get("owner").equals("carl"));
        JsonNode results = client(store).post("/v1/retrieve",
                Map.of("query", "how things work", "k", 100, "metadata_filter", "owner == `carl`")).json();
        assertThat(results).hasSize((int) Math.min(100, carls));
        results.forEach(result -> assertThat(result.get("metadata").get("owner").asText()).isEqualTo("carl"));

        long kitchen = chunksWhere(doc -> doc.id().startsWith("kitchen/"));
        JsonNode globbed = client(store).post("/v1/retrieve",
                Map.of("query", "stars and planets", "k", 100, "filepath_globpattern", "**/kitchen/*")).json();
        assertThat(globbed).hasSize((int) kitchen);
        globbed.forEach(result -> assertThat(result.get("metadata").get("path").asText()).contains("/kitchen/"));

        JsonNode both = client(store).post("/v1/retrieve", Map.of("query", "bread", "k", 100,
                "metadata_filter", "owner != 'albert'", "filepath_globpattern", "**/kitchen/*")).json();
        assertThat(both).hasSize((int) chunksWhere(doc -> doc.id().startsWith("kitchen/")
                && !doc.metadata().get("owner").equals("albert")));
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void inputsListEveryDocumentOnceWithItsStatus(ServedStores store) {
        JsonNode listed = client(store).post("/v1/inputs", Map.of("return_status", true)).json();
        Set<String> paths = new TreeSet<>();
        listed.forEach(document -> {
            paths.add(document.get("path").asText());
            assertThat(document.get("_indexing_status").asText()).isEqualTo("INDEXED");
        });
        assertThat(listed).hasSize(SampleIndex.documents().size());
        assertThat(paths).isEqualTo(SampleIndex.documents().stream().map(doc -> (String) doc.metadata().get("path"))
                .collect(Collectors.toCollection(TreeSet::new)));

        JsonNode tech = client(store).post("/v2/list_documents", Map.of("metadata_filter", "tenant == 'tech'")).json();
        assertThat(tech).hasSize((int) SampleIndex.documents().stream().filter(d -> d.id().startsWith("tech/")).count());
        tech.forEach(document -> assertThat(document.has("_indexing_status")).isFalse());
        assertThat(client(store).post("/v1/inputs", Map.of("filepath_globpattern", "*/science/s*.md")).json())
                .extracting(document -> document.get("file_name").asText()).containsExactly("sleep.md");
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void statisticsCountTheFilesAndNameTheNewestChange(ServedStores store) {
        JsonNode statistics = client(store).post("/v1/statistics", Map.of()).json();
        int documents = SampleIndex.documents().size();
        assertThat(statistics.get("file_count").asInt()).isEqualTo(documents);
        assertThat(statistics.get("last_modified").asLong()).isEqualTo(SampleIndex.FIRST_MODIFIED_AT + (documents - 1) * 3_600L);
        assertThat(statistics.get("chunk_count").asInt()).isEqualTo(SampleIndex.chunks().size());
        assertThat(statistics.get("last_indexed").asLong()).isEqualTo(ServedStores.FLUSH.appliedAtMillis() / 1000);
        assertThat(statistics.get("last_change_seen").asLong())
                .isEqualTo(ServedStores.FLUSH.newestSourceMillis() / 1000);
        assertThat(statistics.get("freshness_lag_ms").asLong()).isEqualTo(5_000);
        assertThat(statistics.get("model").asText()).isEqualTo("all-minilm-l6-v2-q");
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void answersExtractivelyFromTheBestChunksCitingThem(ServedStores store) {
        JsonNode answer = client(store).post("/v2/answer",
                Map.of("prompt", "How often should I feed a sourdough starter?", "return_context_docs", true)).json();
        assertThat(answer.get("response").asText()).startsWith("Extractive answer (no chat model is configured")
                .contains("[1]").containsIgnoringCase("feed");
        assertThat(answer.get("sources").get(0).get("doc_id").asText()).isEqualTo("kitchen/sourdough-starter.md");
        assertThat(answer.get("context_docs")).hasSize(5);

        JsonNode filtered = client(store).post("/v2/answer", Map.of("prompt", "How often should I feed a sourdough "
                + "starter?", "filters", "tenant == 'tech'")).json();
        filtered.get("sources").forEach(source -> assertThat(source.get("doc_id").asText()).startsWith("tech/"));
        assertThat(filtered.has("context_docs")).isFalse();

        HttpTestClient.Response model = client(store).post("/v2/answer", Map.of("prompt", "x", "model", "gpt-4o"));
        assertThat(model.status()).isEqualTo(400);
        assertThat(model.json().get("error").asText()).contains("field 'model': model 'gpt-4o' is not served here: this server has no chat model");
        HttpTestClient.Response badFilter = client(store).post("/v2/answer", Map.of("prompt", "x", "filters", "a.b == 'c'"));
        assertThat(badFilter.json().get("error").asText()).startsWith("field 'filters': unsupported token '.'");
        assertThat(client(store).post("/v2/summarize", Map.of("text_list", List.of("One. Two.", "Three."))).json().asText())
                .endsWith("One. Three.");
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void aServerWithAnotherModelIsRefusedNamingBoth(ServedStores store) {
        ServedIndex index = samples.index(store);
        assertThatThrownBy(() -> Retriever.open(index, InProcessModels.bgeSmallEnV15Q()))
                .hasMessage(index.name() + " holds vectors of model 'all-minilm-l6-v2-q' (384 dimensions), not of "
                        + "model 'bge-small-en-v1.5-q' (384 dimensions): use the model the index was built with, or "
                        + "build a new index for the new model");
        assertThat(Retriever.open(index, InProcessModels.allMiniLmL6V2Q()).index()).isSameAs(index);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badRequests")
    void badRequestsAre400sNamingTheField(ServedStores store, String body, String message) {
        HttpTestClient.Response response = client(store).postRaw("/v1/retrieve", body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).contains(message);
    }

    static Stream<Arguments> badRequests() {
        List<Arguments> cases = new ArrayList<>();
        Map<String, String> bodies = Map.of(
                "{\"k\": 3}", "field 'query' is required",
                "{\"query\": \"x\", \"k\": 0}", "field 'k' must be from 1 to 100, was 0",
                "{\"query\": \"x\", \"k\": 101}", "field 'k' must be from 1 to 100, was 101",
                "{\"query\": \"x\", \"k\": \"three\"}", "field 'k' must be a whole number, was 'three'",
                "{\"query\": 42}", "field 'query' must be a string, was number",
                "{\"query\": \"x\", \"metadata_filter\": \"owner.name == 'a'\"}",
                "field 'metadata_filter': unsupported token '.' at position 5",
                "{\"query\": \"x\", \"mode\": \"fuzzy\"}", "field 'mode' must be 'vector' or 'hybrid', was 'fuzzy'",
                "[1, 2]", "the request body must be a JSON object",
                "{\"query\": ", "the request body is not JSON");
        for (ServedStores store : ServedStores.values()) {
            bodies.forEach((body, message) -> cases.add(Arguments.of(store, body, message)));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void oversizedBodiesAndUnknownRoutesAreRefusedInJson(ServedStores store) {
        HttpTestClient.Response tooLarge = client(store).post("/v1/retrieve", Map.of("query", "x".repeat(70_000)));
        assertThat(tooLarge.status()).isEqualTo(413);
        HttpTestClient.Response unknown = client(store).post("/v1/nothing", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("/v1/nothing");
    }

    private static long chunksWhere(java.util.function.Predicate<SampleIndex.Doc> condition) {
        return SampleIndex.documents().stream().filter(condition).mapToLong(doc -> doc.chunks().size()).sum();
    }

    /** Checks {@code actual} against a recorded shape (see pathway-contract.json). */
    private static void assertShape(JsonNode actual, JsonNode shape, String where) {
        if (shape.isTextual()) {
            Set<String> types = Set.of(shape.asText().split("\\|"));
            String type = actual.isNull() ? "null" : actual.isIntegralNumber() ? "integer" : actual.isNumber() ? "number"
                    : actual.isTextual() ? "string" : actual.isBoolean() ? "boolean" : actual.isArray() ? "array" : "object";
            assertThat(types.contains(type) || (type.equals("integer") && types.contains("number")))
                    .as("%s is %s (%s), expected %s", where, type, actual, shape.asText()).isTrue();
        } else if (shape.isArray()) {
            assertThat(actual.isArray()).as("%s is an array: %s", where, actual).isTrue();
            assertThat(actual).as("%s is not empty", where).isNotEmpty();
            for (int i = 0; i < actual.size(); i++) {
                assertShape(actual.get(i), shape.get(0), where + "[" + i + "]");
            }
        } else {
            assertThat(actual.isObject()).as("%s is an object: %s", where, actual).isTrue();
            for (Iterator<Map.Entry<String, JsonNode>> fields = shape.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                assertThat(actual.has(field.getKey())).as("%s has '%s': %s", where, field.getKey(), actual).isTrue();
                assertShape(actual.get(field.getKey()), field.getValue(), where + "." + field.getKey());
            }
        }
    }
}
