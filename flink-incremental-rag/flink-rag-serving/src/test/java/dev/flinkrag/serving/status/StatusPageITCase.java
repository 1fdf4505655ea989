package dev.flinkrag.serving.status;

import dev.flinkrag.serving.HttpTestClient;
import dev.flinkrag.serving.RagServer;
import dev.flinkrag.serving.ServedStores;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.security.AccessControl;

import org.apache.flink.configuration.Configuration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The page's resources and what {@code /v1/statistics} says of the indexing job when it cannot be reached; the page
 * in a browser against a running job is e2e-tests' StatusPageBrowserIT.
 */
class StatusPageITCase {

    private static final String ADMIN = "admin-token-0123456789";
    private static final String KITCHEN = "kitchen-token-0123456789";

    @TempDir
    static Path dir;

    private static ServedIndex index;
    private static RagServer server;
    private static int closedPort;

    @BeforeAll
    static void serve() throws Exception {
        index = ServedStores.LUCENE.write(dir);
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AccessControl access = AccessControl.withTokens(ADMIN, AccessControl.parseTenantTokens("kitchen=" + KITCHEN),
                "tenant");
        server = ServedStores.serve(index, access, Map.of("pipeline.rest-url", "http://127.0.0.1:" + closedPort));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        index.close();
    }

    @Test
    void thePageAndItsScriptComeWithoutATokenAndMayLoadNothingElse() {
        HttpTestClient client = new HttpTestClient(server.port());
        HttpTestClient.Response page = client.get("/", Map.of());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type.replace(" ", "")).isEqualTo("text/html;charset=utf-8"));
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'"));
        assertThat(page.body()).contains("<script src=\"ui/app.js\"", "id=\"dead-letters\"", "id=\"cache-hit-rate\"");

        HttpTestClient.Response script = client.get("/ui/app.js", Map.of());
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type.replace(" ", "")).isEqualTo("text/javascript;charset=utf-8"));
        // texts from the index become DOM text, never markup
        assertThat(script.body()).contains("textContent").doesNotContain("innerHTML");
        assertThat(client.get("/ui/page.css", Map.of()).status()).isEqualTo(200);
        assertThat(client.get("/ui/other.js", Map.of()).status()).isEqualTo(404);
        // the data behind the page still needs the token
        assertThat(client.post("/v1/statistics", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void anUnreachableJobIsAFigureNotAFailedRequest() {
        HttpTestClient.Response statistics = new HttpTestClient(server.port()).withToken(ADMIN)
                .post("/v1/statistics", Map.of());
        assertThat(statistics.status()).isEqualTo(200);
        JsonNode pipeline = statistics.json().get("pipeline");
        assertThat(pipeline.get("error").asText())
                .startsWith("cannot read the indexing job's metrics from http://127.0.0.1:" + closedPort + "/");
        assertThat(statistics.json().get("chunk_count").asInt()).isPositive();
    }

    @Test
    void aTenantSeesNoJobWideFigures() {
        JsonNode statistics = new HttpTestClient(server.port()).withToken(KITCHEN).post("/v1/statistics", Map.of()).json();
        assertThat(statistics.has("pipeline")).isFalse();
        assertThat(statistics.get("chunk_count").asInt()).isPositive();
    }

    @Test
    void aRestUrlThatIsNoHttpUrlIsRefusedAtStart() {
        Configuration options = new Configuration();
        options.setString("pipeline.rest-url", "jobmanager:8081");
        assertThatThrownBy(() -> PipelineStatus.fromOptions(options))
                .hasMessage("option 'pipeline.rest-url' must be an http(s) URL, got 'jobmanager:8081'");
    }
}
