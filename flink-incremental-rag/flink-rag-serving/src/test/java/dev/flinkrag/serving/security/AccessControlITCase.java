package dev.flinkrag.serving.security;

import dev.flinkrag.serving.HttpTestClient;
import dev.flinkrag.serving.SampleIndex;
import dev.flinkrag.serving.SampleServers;
import dev.flinkrag.serving.ServedStores;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bearer tokens and tenants on a real server over Lucene and pgvector: no token, a wrong one or another scheme is
 * a 401; a tenant's token sees its tenant's documents only, whatever filter, glob or mode it sends.
 */
class AccessControlITCase {

    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String KITCHEN = "kitchen-token-0123456789abcdef";
    private static final String TECH = "tech-token-0123456789abcdef";

    @TempDir
    static Path dir;

    private static SampleServers samples;

    @BeforeAll
    static void serve() throws Exception {
        samples = SampleServers.start(dir, AccessControl.withTokens(ADMIN,
                AccessControl.parseTenantTokens("kitchen=" + KITCHEN + ",\ntech=" + TECH), "tenant"));
    }

    @AfterAll
    static void stop() throws Exception {
        samples.close();
    }

    private static HttpTestClient client(ServedStores store, String token) {
        return samples.client(store).withToken(token);
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void requestsWithoutAValidTokenAre401s(ServedStores store) {
        for (String route : List.of("/v1/retrieve", "/v1/statistics", "/v1/inputs", "/v2/list_documents")) {
            HttpTestClient.Response none = client(store, null).post(route, Map.of("query", "x"));
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(none.json().get("error").asText()).contains("Authorization: Bearer");
            HttpTestClient.Response wrong = client(store, ADMIN + "x").post(route, Map.of("query", "x"));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(ADMIN).doesNotContain(KITCHEN);
            assertThat(client(store, KITCHEN.substring(0, 20)).get(route, Map.of("query", "x")).status()).isEqualTo(401);
        }
        assertThat(client(store, ADMIN).post("/v1/retrieve", Map.of("query", "x")).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void aTenantSeesOnlyItsDocumentsAndFigures(ServedStores store) {
        long kitchenDocuments = SampleIndex.documents().stream().filter(doc -> doc.id().startsWith("kitchen/")).count();
        long kitchenChunks = SampleIndex.documents().stream().filter(doc -> doc.id().startsWith("kitchen/"))
                .mapToLong(doc -> doc.chunks().size()).sum();
        JsonNode hits = client(store, KITCHEN).post("/v1/retrieve", Map.of("query", "volcano eruptions", "k", 100)).json();
        assertThat(hits).hasSize((int) kitchenChunks);
        hits.forEach(hit -> assertThat(hit.get("metadata").get("tenant").asText()).isEqualTo("kitchen"));
        assertThat(client(store, KITCHEN).post("/v1/inputs", Map.of()).json()).hasSize((int) kitchenDocuments);
        assertThat(client(store, KITCHEN).post("/v1/statistics", Map.of()).json().get("file_count").asLong())
                .isEqualTo(kitchenDocuments);
        assertThat(client(store, ADMIN).post("/v1/statistics", Map.of()).json().get("file_count").asLong())
                .isEqualTo(SampleIndex.documents().size());
        assertThat(client(store, TECH).post("/v1/inputs", Map.of("metadata_filter", "tenant == 'kitchen'")).json())
                .isEmpty();
    }

    /** Filters and globs that try to widen a tenant's scope; each must leave it where it is. */
    private static final List<String> ESCAPES = List.of(
            "tenant == 'tech'",
            "tenant != 'kitchen'",
            "!(tenant == 'kitchen')",
            "owner == 'nobody' || tenant != 'kitchen'",
            "tenant == 'kitchen' || tenant == 'tech'",
            "tenant == `tech`",
            "\"tenant\" == 'tech'",
            "tenant == 'kitchen\\' || tenant == \\'tech'",
            "tenant == 'kitchen') || (tenant == 'tech'",
            "tenant == 'kitchen' || `1` == `1`",
            "tenant == 'kitchen' || true",
            "globmatch('*', tenant)",
            "globmatch('*', path) || tenant == 'science'",
            "contains(tenant, '')",
            "!(!(tenant != 'kitchen'))",
            "tenant > 'a'",
            "tenant < 'kitchen' || tenant > 'kitchen'",
            "size_bytes > `0` || owner != 'x'",
            "tenant == 'tech' && tenant == 'tech'",
            "(tenant == 'tech') || (tenant == 'nature') || (tenant == 'home')");

    private static final List<String> GLOBS = List.of("*", "**", "/**", "../*", "*/tech/*", "**/../tech/**", "[!k]*",
            "\\*", "*' || tenant == 'tech");

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void noFilterGlobOrModeWidensATenantsScope(ServedStores store) {
        Random random = new Random(42);
        List<SampleIndex.Chunk> chunks = SampleIndex.chunks();
        HttpTestClient kitchen = client(store, KITCHEN);
        int answered = 0;
        int hits = 0;
        int crossTenant = 0;
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("query", chunks.get(random.nextInt(chunks.size())).text());
            request.put("k", 1 + random.nextInt(100));
            if (random.nextInt(4) > 0) {
                request.put("metadata_filter", ESCAPES.get(random.nextInt(ESCAPES.size())));
            }
            if (random.nextBoolean()) {
                request.put("filepath_globpattern", GLOBS.get(random.nextInt(GLOBS.size())));
            }
            if (random.nextBoolean()) {
                request.put("mode", "hybrid");
            }
            String route = List.of("/v1/inputs", "/v2/answer", "/v1/retrieve", "/v1/retrieve").get(random.nextInt(4));
            if (route.equals("/v2/answer")) {
                request.put("prompt", request.remove("query"));
                request.put("return_context_docs", true);
                Object filter = request.remove("metadata_filter");
                if (filter != null) {
                    request.put("filters", filter);
                }
            }
            HttpTestClient.Response response = kitchen.post(route, request);
            assertThat(response.status()).as(response.body()).isIn(200, 400);
            if (response.status() != 200) {
                continue;
            }
            answered++;
            JsonNode items = route.equals("/v2/answer") ? response.json().get("context_docs") : response.json();
            for (JsonNode item : items) {
                JsonNode metadata = route.equals("/v1/inputs") ? item : item.get("metadata");
                hits++;
                if (!"kitchen".equals(metadata.path("tenant").asText())) {
                    crossTenant++;
                }
            }
        }
        assertThat(crossTenant).as("hits outside tenant 'kitchen'").isZero();
        assertThat(answered).as("requests answered with 200").isGreaterThan(500);
        assertThat(hits).isGreaterThan(1_000);
    }

    @Test
    void tokensMustBeLongAndTenantPairsWellFormed() {
        assertThatThrownBy(() -> AccessControl.withTokens("short", Map.of(), "tenant"))
                .hasMessage("the unscoped token must be at least 16 characters long");
        assertThatThrownBy(() -> AccessControl.parseTenantTokens("a=" + KITCHEN + ",b"))
                .hasMessage("tenant token pair 2 is not of the form tenant=token");
        assertThatThrownBy(() -> AccessControl.parseTenantTokens("a=" + KITCHEN + "\na=" + TECH))
                .hasMessage("tenant 'a' has two tokens").message().doesNotContain(TECH);
    }
}
