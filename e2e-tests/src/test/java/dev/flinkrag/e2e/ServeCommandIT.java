package dev.flinkrag.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flink-rag serve} as its own JVM (the server jar), reading the Lucene index the local example job writes in
 * another JVM: it answers Pathway's routes with a token, follows an edit once the job checkpoints, and refuses to
 * start with another model than the index's.
 */
class ServeCommandIT {

    private static final Path EXAMPLES_JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SERVER_JAR = Path.of(System.getProperty("server.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String TOKEN = "e2e-serve-token-0123456789";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalProcesses processes = new LocalProcesses();

    @TempDir
    Path temp;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.close();
    }

    @Test
    void servesTheIndexOfAJobInAnotherProcessAndFollowsItsCheckpoints() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        Path work = temp.resolve("work");
        int jobPort = LocalProcesses.freePort();
        processes.start(temp.resolve("job.log"), "java", "-jar", EXAMPLES_JAR.toString(), docs.toString(), "--work-dir",
                work.toString(), "--port", Integer.toString(jobPort), "--scan-interval-ms", "200",
                "--checkpoint-interval-ms", "1000");
        await(() -> Files.isDirectory(work.resolve("index")) && statistics(jobPort).path("file_count").asInt() >= 25,
                "the job to index the sample folder");

        int port = LocalProcesses.freePort();
        ProcessBuilder server = new ProcessBuilder("java", "-jar", SERVER_JAR.toString(), "serve", "--store", "lucene",
                "--path", work.resolve("index").toString(), "--server.port", Integer.toString(port),
                "--auth.token-env", "RAG_TOKEN");
        server.environment().put("RAG_TOKEN", TOKEN);
        processes.start(server, temp.resolve("server.log"));
        await(() -> statistics(port).path("file_count").asInt() >= 25, "the server to answer /v1/statistics");

        assertThat(call(port, "/v1/retrieve", "{\"query\": \"x\"}", null).statusCode()).isEqualTo(401);
        JsonNode hits = json.readTree(call(port, "/v1/retrieve", "{\"query\": \"how do I feed a sourdough starter\", "
                + "\"k\": 3, \"metadata_filter\": \"contains(path, 'kitchen')\"}", TOKEN).body());
        assertThat(hits).hasSize(3);
        hits.forEach(hit -> assertThat(hit.at("/metadata/path").asText()).startsWith("kitchen/"));
        assertThat(hits.get(0).at("/metadata/doc_id").asText()).isEqualTo("kitchen/sourdough-starter.md");
        JsonNode statistics = statistics(port);
        assertThat(statistics.get("model").asText()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(statistics.get("last_indexed").asLong()).isPositive();

        String added = "Ceramic knives stay sharp for years but chip easily on frozen food.";
        Files.writeString(docs.resolve("kitchen/knife-care.md"), "\n" + added + "\n", java.nio.file.StandardOpenOption.APPEND);
        await(() -> topText(port, "ceramic knives chip on frozen food").contains("Ceramic knives"),
                "the edit to reach the standalone server after a checkpoint");
        JsonNode answer = json.readTree(call(port, "/v2/answer", "{\"prompt\": \"Do ceramic knives chip?\"}", TOKEN)
                .body());
        assertThat(answer.get("response").asText()).contains("Ceramic knives stay sharp");
    }

    @Test
    void refusesAnotherModelThanTheIndexs() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        Path work = temp.resolve("work");
        int jobPort = LocalProcesses.freePort();
        processes.start(temp.resolve("job.log"), "java", "-jar", EXAMPLES_JAR.toString(), docs.toString(), "--work-dir",
                work.toString(), "--port", Integer.toString(jobPort), "--checkpoint-interval-ms", "1000");
        await(() -> Files.isDirectory(work.resolve("index")) && statistics(jobPort).path("last_indexed").asLong() > 0,
                "the job to index the sample folder");
        Thread.sleep(2_000); // a checkpoint commits what the job indexed, the model with it
        Process server = processes.start(temp.resolve("server.log"), "java", "-jar", SERVER_JAR.toString(), "serve", "--store",
                "lucene", "--path", work.resolve("index").toString(), "--server.port", "0", "--model.provider",
                "bge-small-en-v1.5-q");
        assertThat(server.waitFor()).isEqualTo(1);
        assertThat(Files.readString(temp.resolve("server.log"))).contains("holds vectors of model 'all-minilm-l6-v2-q' "
                + "(384 dimensions), not of model 'bge-small-en-v1.5-q' (384 dimensions)");
    }

    private JsonNode statistics(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = call(port, "/v1/statistics", "{}", TOKEN);
        return response.statusCode() == 200 ? json.readTree(response.body()) : json.createObjectNode();
    }

    private String topText(int port, String query) throws IOException, InterruptedException {
        JsonNode hits = json.readTree(call(port, "/v1/retrieve", json.writeValueAsString(
                java.util.Map.of("query", query, "k", 1)), TOKEN).body());
        return hits.isArray() && !hits.isEmpty() ? hits.get(0).get("text").asText() : "";
    }

    private HttpResponse<String> call(int port, String route, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(Awaiting.Condition condition, String what) throws Exception {
        Awaiting.await(condition, what, PATIENCE);
    }
}
