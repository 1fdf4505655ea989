package dev.flinkrag.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main command, as a user runs it: the shaded jar as its own JVM on a copy of the sample
 * folder. It must answer queries, follow edits and deletes while running, resume without re-embedding,
 * and answer the {@code query} subcommand once stopped.
 */
class LiveFolderIndexIT {

    private static final Path JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final Duration PATIENCE = Duration.ofSeconds(120);

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
    void mainCommandIndexesTheSampleFolderAndFollowsChanges() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        Path work = temp.resolve("work");
        int port = LocalProcesses.freePort();
        Process job = start(docs, work, port, temp.resolve("job.log"));

        JsonNode coffee = awaitTop(port, "why does my coffee taste bitter",
                hit -> hit.at("/metadata/doc_id").asText().equals("kitchen/coffee-extraction.md"));
        assertThat(coffee.get("text").asText()).contains("extraction");

        // an edit is searchable while the job runs
        Files.writeString(docs.resolve("kitchen/knife-care.md"), "\n\nCeramic knives stay sharp for years but chip "
                + "easily if they are twisted while cutting frozen food.\n", java.nio.file.StandardOpenOption.APPEND);
        awaitTop(port, "ceramic knife chipping on frozen food",
                hit -> hit.get("text").asText().contains("Ceramic knives"));

        // a deleted file disappears from the answers
        Files.delete(docs.resolve("nature/glaciers.md"));
        awaitTop(port, "how do glaciers move and form crevasses",
                hit -> !hit.at("/metadata/doc_id").asText().equals("nature/glaciers.md"));

        // stop only once the pipeline has drained: records still being embedded at the savepoint are part of
        // the savepoint, not of the index on disk, which the query subcommand reads at the end
        awaitSettled(port);
        job.destroy();
        job.waitFor();
        Process resumed = start(docs, work, port, temp.resolve("resumed.log"));
        awaitTop(port, "ceramic knife chipping on frozen food", hit -> hit.get("text").asText().contains("Ceramic knives"));
        // resumed from the retained checkpoint: the restored index is full and nothing was read or embedded again
        awaitLog(temp.resolve("resumed.log"), line -> line.contains("[flink-rag] resuming from"));
        awaitLog(temp.resolve("resumed.log"),
                line -> line.matches(".*files read 0 \\| chunks embedded 0, .* index [1-9][0-9]* entries.*"));
        awaitSettled(port);
        assertThat(Files.readAllLines(temp.resolve("resumed.log"))).noneMatch(line -> line.contains("files read 1"));
        resumed.destroy();
        resumed.waitFor();

        Process query = new ProcessBuilder("java", "-jar", JAR.toString(), "query", "sourdough starter feeding",
                "--work-dir", work.toString(), "--k", "1")
                .redirectErrorStream(true).start();
        String answer = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(query.waitFor()).as(answer).isZero();
        assertThat(answer).as("query answer; job logs:%n%s", logs()).contains("kitchen/sourdough-starter.md");
    }

    /**
     * A crash (kill -9) before the first checkpoint: the restart starts from an empty index and reads every
     * file again, but every vector comes from the embedding cache on disk, none from the model.
     */
    @Test
    void aRestartAfterACrashEmbedsNothingAgain() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        Path work = temp.resolve("work");
        int port = LocalProcesses.freePort();
        Process job = start(docs, work, port, temp.resolve("job.log"), "--checkpoint-interval-ms", "600000");
        awaitTop(port, "why does my coffee taste bitter",
                hit -> hit.at("/metadata/doc_id").asText().equals("kitchen/coffee-extraction.md"));
        awaitSettled(port);
        job.destroyForcibly();
        job.waitFor();

        Process restarted = start(docs, work, port, temp.resolve("resumed.log"), "--checkpoint-interval-ms", "600000");
        awaitTop(port, "why does my coffee taste bitter",
                hit -> hit.at("/metadata/doc_id").asText().equals("kitchen/coffee-extraction.md"));
        awaitSettled(port);
        awaitLog(temp.resolve("resumed.log"), line -> line.matches(
                ".*files read [1-9][0-9]* \\| chunks embedded 0, from cache [1-9][0-9]*,.* index [1-9][0-9]* entries.*"));
        assertThat(Files.readAllLines(temp.resolve("resumed.log"))).as(logs())
                .noneMatch(line -> line.contains("resuming from"))
                .noneMatch(line -> line.matches(".*chunks embedded [1-9].*"));
        restarted.destroy();
        restarted.waitFor();
    }

    /**
     * Issue 11's reproduction: a Markdown file holding one "word" of 127 tokens (an SHA-512 fingerprint as openssl
     * prints it) made the chunker throw, and the job restarted on it forever with nothing indexed. Now both files
     * are indexed, the fingerprint cut between its tokens, and no task ever fails.
     */
    @Test
    void aWordLongerThanTheChunkBudgetStopsNothing() throws Exception {
        Path docs = Files.createDirectories(temp.resolve("docs"));
        Files.writeString(docs.resolve("coffee.txt"), "Espresso wants a fine grind and water just off the boil.\n");
        StringBuilder fingerprint = new StringBuilder();
        for (byte b : java.security.MessageDigest.getInstance("SHA-512").digest("x".getBytes(StandardCharsets.UTF_8))) {
            fingerprint.append(fingerprint.length() == 0 ? "" : ":").append(String.format("%02X", b));
        }
        Files.writeString(docs.resolve("cert.md"), "The fingerprint (SHA-512) is " + fingerprint + " as openssl prints it.\n");
        // the way out of a restart loop the README gives: leave the document out by its id
        Files.writeString(docs.resolve("poison.md"), "Tea wants water well below the boil.\n");
        int port = LocalProcesses.freePort();
        start(docs, temp.resolve("work"), port, temp.resolve("job.log"), "--parsing.skip-documents", "poison.md");

        awaitTop(port, "espresso grind", hit -> hit.at("/metadata/doc_id").asText().equals("coffee.txt"));
        awaitTop(port, "the SHA-512 fingerprint as openssl prints it",
                hit -> hit.at("/metadata/doc_id").asText().equals("cert.md"));
        awaitSettled(port);
        awaitLog(temp.resolve("job.log"), line -> line.contains(
                "[flink-rag] skipped poison.md: skipped: the document is listed in option 'parsing.skip-documents'"));
        assertThat(retrieve(port, "tea water below the boil").findValuesAsText("doc_id")).doesNotContain("poison.md");
        assertThat(Files.readAllLines(temp.resolve("job.log"))).as(logs())
                .noneMatch(line -> line.contains("to FAILED") || line.contains("exceeds the chunk budget"))
                .filteredOn(line -> line.contains("[flink-rag] skipped")).hasSize(1);
    }

    /** Both runs' console output, for failure messages. */
    private String logs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String name : new String[] {"job.log", "resumed.log"}) {
            Path log = temp.resolve(name);
            logs.append("== ").append(name).append('\n').append(Files.exists(log) ? Files.readString(log) : "(none)");
        }
        return logs.toString();
    }

    private Process start(Path docs, Path work, int port, Path log, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString(), docs.toString(),
                "--work-dir", work.toString(), "--port", Integer.toString(port), "--scan-interval-ms", "200"));
        command.addAll(List.of(options));
        return processes.start(new ProcessBuilder(command), log);
    }

    private JsonNode awaitTop(int port, String query, Predicate<JsonNode> expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode hits = retrieve(port, query);
                if (hits.isArray() && !hits.isEmpty()) {
                    last = hits.get(0);
                    if (expected.test(last)) {
                        return last;
                    }
                }
            } catch (IOException notUpYet) {
                // the server starts a few seconds after the JVM
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no expected top hit for '" + query + "' within " + PATIENCE + "; last: " + last);
    }

    /** Waits until the indexed chunk count has stayed the same for two seconds. */
    private void awaitSettled(int port) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int stable = 0;
        int last = -1;
        while (System.nanoTime() < deadline && stable < 8) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/statistics")).build(), HttpResponse.BodyHandlers.ofString());
            int count = json.readTree(response.body()).path("chunk_count").asInt(-1);
            stable = count > 0 && count == last ? stable + 1 : 0;
            last = count;
            Thread.sleep(250);
        }
    }

    private JsonNode retrieve(int port, String query) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/retrieve?k=3&query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static void awaitLog(Path log, Predicate<String> expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("expected line not logged; log:\n" + Files.readString(log));
    }
}
