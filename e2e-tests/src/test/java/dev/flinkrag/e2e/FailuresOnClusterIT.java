package dev.flinkrag.e2e;

import dev.flinkrag.testutils.KafkaBroker;
import dev.flinkrag.testutils.PostgresServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariant under real failures: a session cluster of two TaskManagers (RocksDB, checkpoints to a local
 * directory, retained), a KRaft broker, and a seeded stream of document changes (creations, edits, deletes,
 * re-creations, unchanged re-sends) that two jobs of the examples jar follow, one into pgvector (with the disk
 * embedding cache), one into Lucene (without). While they work, TaskManagers are killed with {@code kill -9} at
 * random moments and started again (each kill goes to a TaskManager running a task of one job, the jobs taking turns), then the JobManager is killed, started again, and both jobs are resubmitted
 * from their latest retained checkpoints. When the stream has drained, each store equals what a from-scratch run of
 * the same job over only the final documents writes (no failures): every entry and document record, vectors byte
 * for byte; and independently, the documents are exactly the live ones, each chunk's text is in its document, and
 * each vector is the model's for its text. Both jobs embed through {@code EmbeddingServer} processes (the in-process
 * model behind OpenAI's wire protocol), which count every text they embed: since no chunk text repeats in the
 * stream, any text embedded twice is re-embedding a failure caused.
 *
 * <p>Scale by {@code -Dchurn.changes} (1,000 in CI) and {@code -Dchurn.kills} (2 TaskManager kills; the JobManager is
 * killed once more); the figures go to
 * {@code target/failures-on-cluster.md}, the cluster's logs to {@code target/failures-on-cluster-logs/}.
 */
class FailuresOnClusterIT {

    private static final Path JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final Path REPORT = Path.of("target/failures-on-cluster.md");
    private static final Path LOGS = Path.of("target/failures-on-cluster-logs");
    private static final int CHANGES = Integer.getInteger("churn.changes", 1_000);
    private static final int KILLS = Integer.getInteger("churn.kills", 2);
    private static final int DOCUMENTS = Math.max(20, CHANGES / 16);
    private static final long SEED = Long.getLong("churn.seed", 16);
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final LocalProcesses processes = new LocalProcesses();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(SEED);

    @AfterEach
    void stopProcesses() throws Exception {
        processes.close();
    }

    @Test
    void theStoresEqualAFromScratchIndexAfterTaskManagerAndJobManagerKills() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("churn", 4);
        kafka.createTopic("churn-final", 2);
        String database = PostgresServer.get().createDatabase();
        Path home = Files.createDirectories(temp.resolve("flink"));
        int pgvectorModel = startEmbeddingServer("pgvector");
        int luceneModel = startEmbeddingServer("lucene");
        int oracleModel = startEmbeddingServer("oracle");

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("taskmanager.numberOfTaskSlots", "3");
        settings.put("cluster.evenly-spread-out-slots", "true");
        settings.put("state.backend.type", "rocksdb");
        settings.put("execution.checkpointing.dir", home.resolve("checkpoints").toUri().toString());
        settings.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        settings.put("execution.checkpointing.num-retained", "2");
        // a killed TaskManager is noticed after 10 s instead of 50 s
        settings.put("heartbeat.interval", "2 s");
        settings.put("heartbeat.timeout", "10 s");
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(home, settings, Map.of(), 2)) {
            try {
                killAndCompare(cluster, kafka, database, home, pgvectorModel, luceneModel, oracleModel);
            } finally {
                cluster.copyLogsTo(LOGS);
            }
        }
    }

    private void killAndCompare(FlinkSessionCluster cluster, KafkaBroker kafka, String database, Path home,
            int pgvectorModel, int luceneModel, int oracleModel) throws Exception {
        Map<String, String> jobs = new LinkedHashMap<>(); // store to job id
        jobs.put("pgvector", submitLive(cluster, "pgvector", kafka, database, home, pgvectorModel, null));
        jobs.put("lucene", submitLive(cluster, "lucene", kafka, database, home, luceneModel, null));
        for (String job : jobs.values()) {
            awaitRunning(cluster, job);
        }

        DocumentChurn churn = new DocumentChurn(SEED, DOCUMENTS,
                List.of(SAMPLES, SAMPLES.resolve("../../docs").normalize()));
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> produce(kafka, churn));
        List<String> events = new ArrayList<>();
        long started = System.nanoTime();
        Map<String, Integer> kills = new HashMap<>(Map.of("pgvector", 1, "lucene", 1)); // the JobManager's, too
        for (int kill = 1; kill <= KILLS; kill++) {
            Thread.sleep(3_000 + random.nextInt(12_000));
            // the jobs take turns being hit: a TaskManager that runs a task of this kill's job
            String target = kill % 2 == 1 ? "pgvector" : "lucene";
            List<Integer> running = new ArrayList<>(taskManagersOf(cluster, jobs.get(target)));
            int taskManager = running.get(random.nextInt(running.size()));
            List<String> hit = jobsOn(cluster, jobs, taskManager);
            hit.forEach(job -> kills.merge(job, 1, Integer::sum));
            cluster.killTaskManager(taskManager);
            events.add(String.format("%5.1f s: kill -9 TaskManager %d (runs tasks of %s)", seconds(started),
                    taskManager, String.join(" and ", hit)));
            Thread.sleep(1_000 + random.nextInt(4_000));
            cluster.startTaskManager(taskManager);
            for (String job : jobs.values()) {
                awaitRunning(cluster, job);
            }
        }
        // the JobManager: without HA its jobs die with it; they come back from their retained checkpoints
        Map<String, Long> restartsBefore = new HashMap<>();
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            awaitNewCheckpoint(cluster, job.getValue());
            restartsBefore.put(job.getKey(), restarts(cluster, job.getValue()));
        }
        cluster.killJobManager();
        events.add(String.format("%5.1f s: kill -9 JobManager", seconds(started)));
        cluster.startJobManager();
        cluster.awaitTaskManagers(2, Duration.ofSeconds(120));
        for (Map.Entry<String, String> job : new ArrayList<>(jobs.entrySet())) {
            Path checkpoint = latestCheckpoint(home.resolve("checkpoints").resolve(job.getValue()));
            events.add(String.format("%5.1f s: %s job resubmitted from %s", seconds(started), job.getKey(),
                    home.relativize(checkpoint)));
            jobs.put(job.getKey(), submitLive(cluster, job.getKey(), kafka, database, home,
                    job.getKey().equals("pgvector") ? pgvectorModel : luceneModel, checkpoint));
        }
        stream.get();
        events.add(String.format("%5.1f s: the last of %,d changes sent", seconds(started), CHANGES));
        for (String job : jobs.values()) {
            awaitRunning(cluster, job);
        }

        // the oracle: the same jobs, from scratch, over only the final documents, without failures
        Map<String, String> finalDocuments = churn.finalDocuments();
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (Map.Entry<String, String> document : finalDocuments.entrySet()) {
                producer.send(new ProducerRecord<>("churn-final", document.getKey(), document.getValue()));
            }
        }
        String pgvectorOracle = submitOracle(cluster, "dev.flinkrag.examples.KafkaToPgVector", kafka, oracleModel,
                "--jdbc-url", database, "--user", "postgres", "--table", "oracle");
        String luceneOracle = submitOracle(cluster, "dev.flinkrag.examples.KafkaToLucene", kafka, oracleModel,
                "--index-dir", home.resolve("oracle-index").toString());
        awaitFinished(cluster, pgvectorOracle);
        awaitFinished(cluster, luceneOracle);
        StoreContents pgvectorExpected = StoreContents.ofPgVector(database, "oracle");
        StoreContents luceneExpected = StoreContents.ofLucene(home.resolve("oracle-index"));
        assertThat(pgvectorExpected.entryIds()).hasSameSizeAs(luceneExpected.entryIds()).isNotEmpty();

        StoreContents.Difference pgvector = awaitEqual(
                () -> StoreContents.ofPgVector(database, "chunks").against(pgvectorExpected), cluster);
        StoreContents.Difference lucene = awaitEqual(
                () -> StoreContents.ofLucene(home.resolve("index")).against(luceneExpected), cluster);
        events.add(String.format("%5.1f s: both stores equal the oracle", seconds(started)));

        // independently of the oracle: the live documents, their texts, the model's vectors
        int entries = checkAgainstDocuments(database, churn, finalDocuments, oracleModel);

        Map<String, JsonNode> embedded = Map.of("pgvector", stats(pgvectorModel), "lucene", stats(luceneModel));
        Map<String, Long> restarts = new HashMap<>();
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            restarts.put(job.getKey(), restartsBefore.get(job.getKey()) + restarts(cluster, job.getValue()));
        }
        String report = report(churn, finalDocuments.size(), entries, events, pgvector, lucene, embedded, restarts, kills,
                stateBytesPerChunk(cluster, jobs.get("pgvector"), entries));
        Files.writeString(REPORT, report);
        System.out.println(report);
        assertThat(pgvector.none()).as(pgvector.toString()).isTrue();
        assertThat(lucene.none()).as(lucene.toString()).isTrue();
    }

    private int startEmbeddingServer(String name) throws Exception {
        int port = LocalProcesses.freePort();
        processes.start(temp.resolve("embedding-" + name + ".log"), "java", "-Xmx768m", "-cp", JAR.toString(),
                "dev.flinkrag.examples.EmbeddingServer", "--port", Integer.toString(port));
        Awaiting.await(() -> stats(port).has("texts"), "the " + name + " embedding server", Duration.ofSeconds(90));
        return port;
    }

    private JsonNode stats(int port) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/embeddings/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static List<String> modelOptions(int port) {
        return List.of("--model.provider", "openai", "--model.base-url", "http://127.0.0.1:" + port + "/v1",
                "--model.name", "all-minilm-l6-v2-q", "--model.dimensions", "384", "--model.max-input-tokens", "126");
    }

    /** A live job at parallelism 2 following the churn topic, from {@code checkpoint} if given. */
    private static String submitLive(FlinkSessionCluster cluster, String store, KafkaBroker kafka, String database,
            Path home, int modelPort, Path checkpoint) throws Exception {
        List<String> cli = new ArrayList<>(List.of("-d", "-p", "2"));
        if (checkpoint != null) {
            cli.addAll(List.of("-s", checkpoint.toUri().toString()));
        }
        List<String> arguments = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic",
                "churn", "--group-id", "churn-" + store, "--checkpoint-interval-ms", "2000"));
        arguments.addAll(modelOptions(modelPort));
        if (store.equals("pgvector")) {
            cli.addAll(List.of("-c", "dev.flinkrag.examples.KafkaToPgVector", JAR.toString()));
            arguments.addAll(List.of("--jdbc-url", database, "--user", "postgres", "--table", "chunks",
                    "--embedding.cache.directory", home.resolve("embedding-cache").toString()));
        } else {
            cli.addAll(List.of("-c", "dev.flinkrag.examples.KafkaToLucene", JAR.toString()));
            arguments.addAll(List.of("--index-dir", home.resolve("index").toString()));
        }
        return jobId(cluster.flinkRun(cli, arguments.toArray(String[]::new)));
    }

    private static String submitOracle(FlinkSessionCluster cluster, String mainClass, KafkaBroker kafka, int modelPort,
            String... store) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic",
                "churn-final", "--group-id", "oracle-" + mainClass, "--bounded", "--checkpoint-interval-ms", "1000"));
        arguments.addAll(modelOptions(modelPort));
        arguments.addAll(List.of(store));
        return jobId(cluster.flinkRun(List.of("-d", "-p", "1", "-c", mainClass, JAR.toString()),
                arguments.toArray(String[]::new)));
    }

    private static String jobId(String cliOutput) {
        Matcher id = Pattern.compile("JobID ([0-9a-f]{32})").matcher(cliOutput);
        if (!id.find()) {
            throw new IllegalStateException("no job id in: " + cliOutput);
        }
        return id.group(1);
    }

    private void produce(KafkaBroker kafka, DocumentChurn churn) {
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (int i = 0; i < CHANGES; i++) {
                DocumentChurn.Change change = churn.next();
                producer.send(new ProducerRecord<>("churn", change.docId(), change.json()));
                if (i % 100 == 99) {
                    producer.flush();
                    Thread.sleep(400); // about 250 changes a second, so the kills fall while the stream flows
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing the churn failed", e);
        }
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** The TaskManagers running a task of the job. */
    private java.util.SortedSet<Integer> taskManagersOf(FlinkSessionCluster cluster, String job) throws Exception {
        java.util.SortedSet<Integer> taskManagers = new java.util.TreeSet<>();
        for (JsonNode vertex : JSON.readTree(cluster.get("/jobs/" + job)).path("vertices")) {
            JsonNode placed = JSON.readTree(cluster.get("/jobs/" + job + "/vertices/" + vertex.path("id").asText()
                    + "/taskmanagers"));
            for (JsonNode taskManager : placed.path("taskmanagers")) {
                taskManagers.add(FlinkSessionCluster.taskManagerIndex(taskManager.path("taskmanager-id").asText()));
            }
        }
        return taskManagers;
    }

    private List<String> jobsOn(FlinkSessionCluster cluster, Map<String, String> jobs, int taskManager)
            throws Exception {
        List<String> hit = new ArrayList<>();
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            if (taskManagersOf(cluster, job.getValue()).contains(taskManager)) {
                hit.add(job.getKey());
            }
        }
        return hit;
    }

    /** Until the job and all its tasks run (after a restart the job is RUNNING before its tasks are). */
    private void awaitRunning(FlinkSessionCluster cluster, String job) throws Exception {
        Awaiting.await(() -> {
            JsonNode details = JSON.readTree(cluster.get("/jobs/" + job));
            if (!details.path("state").asText().equals("RUNNING")) {
                return false;
            }
            for (JsonNode vertex : details.path("vertices")) {
                if (!vertex.path("status").asText().equals("RUNNING")) {
                    return false;
                }
            }
            return true;
        }, "job " + job + " running", PATIENCE);
    }

    private void awaitFinished(FlinkSessionCluster cluster, String job) throws Exception {
        Awaiting.await(() -> JSON.readTree(cluster.get("/jobs/" + job)).path("state").asText().equals("FINISHED"),
                "job " + job + " finished", PATIENCE);
    }

    private void awaitNewCheckpoint(FlinkSessionCluster cluster, String job) throws Exception {
        long before = completedCheckpoints(cluster, job);
        Awaiting.await(() -> completedCheckpoints(cluster, job) > before, "a checkpoint of " + job, PATIENCE);
    }

    private long completedCheckpoints(FlinkSessionCluster cluster, String job) throws Exception {
        return JSON.readTree(cluster.get("/jobs/" + job + "/checkpoints")).path("counts").path("completed").asLong();
    }

    private long restarts(FlinkSessionCluster cluster, String job) throws Exception {
        JsonNode metric = JSON.readTree(cluster.get("/jobs/" + job + "/metrics?get=numRestarts"));
        return metric.isArray() && !metric.isEmpty() ? metric.get(0).path("value").asLong() : 0;
    }

    /** The newest {@code chk-<n>} of a job that has its {@code _metadata} (a complete checkpoint). */
    private static Path latestCheckpoint(Path jobCheckpoints) throws Exception {
        try (Stream<Path> directories = Files.list(jobCheckpoints)) {
            Optional<Path> newest = directories
                    .filter(path -> path.getFileName().toString().startsWith("chk-"))
                    .filter(path -> Files.exists(path.resolve("_metadata")))
                    .max(Comparator.comparingLong(path -> Long.parseLong(path.getFileName().toString().substring(4))));
            return newest.orElseThrow(() -> new AssertionError("no complete checkpoint in " + jobCheckpoints));
        }
    }

    private interface Comparison {
        StoreContents.Difference run() throws Exception;
    }

    private static StoreContents.Difference awaitEqual(Comparison comparison, FlinkSessionCluster cluster)
            throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        StoreContents.Difference difference = comparison.run();
        while (!difference.none() && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            difference = comparison.run();
        }
        if (!difference.none()) {
            System.out.println(cluster.logs());
        }
        return difference;
    }

    /**
     * Checks the pgvector table against the test's own record of the documents: exactly the live ones, each chunk's
     * text inside its document's, each vector the model's for the chunk's text. Returns the number of entries.
     */
    private int checkAgainstDocuments(String database, DocumentChurn churn, Map<String, String> finalDocuments,
            int modelPort) throws Exception {
        Map<String, String> texts = new HashMap<>();
        Map<String, String> vectors = new HashMap<>();
        Map<String, String> documents = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(database, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, text, embedding::text, metadata->>'doc_id' FROM chunks")) {
            while (rows.next()) {
                texts.put(rows.getString(1), rows.getString(2));
                vectors.put(rows.getString(1), rows.getString(3));
                documents.put(rows.getString(1), rows.getString(4));
            }
        }
        assertThat(new java.util.TreeSet<>(documents.values())).containsExactlyElementsOf(finalDocuments.keySet());
        for (Map.Entry<String, String> chunk : texts.entrySet()) {
            assertThat(squeeze(churn.text(documents.get(chunk.getKey())))).as("document of chunk %s", chunk.getKey())
                    .contains(squeeze(chunk.getValue()));
        }
        List<String> ids = new ArrayList<>(texts.keySet());
        for (int from = 0; from < ids.size(); from += 64) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 64));
            JsonNode response = JSON.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + modelPort + "/v1/embeddings"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("model",
                            "all-minilm-l6-v2-q", "input", batch.stream().map(texts::get).toList())))).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (int i = 0; i < batch.size(); i++) {
                List<Float> expected = new ArrayList<>();
                response.path("data").get(i).path("embedding").forEach(value -> expected.add(value.floatValue()));
                assertThat(parseVector(vectors.get(batch.get(i)))).as("vector of chunk %s", batch.get(i))
                        .isEqualTo(expected);
            }
        }
        return texts.size();
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static List<Float> parseVector(String text) {
        List<Float> vector = new ArrayList<>();
        for (String value : text.substring(1, text.length() - 1).split(",")) {
            vector.add(Float.parseFloat(value));
        }
        return vector;
    }

    /** The checkpointed state of the job's vertex that holds the chunker, per live chunk (full RocksDB snapshot). */
    private String stateBytesPerChunk(FlinkSessionCluster cluster, String job, int chunks) throws Exception {
        awaitNewCheckpoint(cluster, job);
        JsonNode checkpoints = JSON.readTree(cluster.get("/jobs/" + job + "/checkpoints"));
        long id = checkpoints.path("latest").path("completed").path("id").asLong();
        JsonNode details = JSON.readTree(cluster.get("/jobs/" + job + "/checkpoints/details/" + id));
        StringBuilder lines = new StringBuilder();
        for (JsonNode vertex : JSON.readTree(cluster.get("/jobs/" + job)).path("vertices")) {
            long bytes = details.path("tasks").path(vertex.path("id").asText()).path("state_size").asLong();
            lines.append(String.format("| %s | %,d | %.1f |%n", vertex.path("name").asText().replace("|", "/"), bytes,
                    bytes / (double) chunks));
        }
        return lines.toString();
    }

    private static String report(DocumentChurn churn, int liveDocuments, int entries, List<String> events,
            StoreContents.Difference pgvector, StoreContents.Difference lucene, Map<String, JsonNode> embedded,
            Map<String, Long> restarts, Map<String, Integer> kills, String state) {
        StringBuilder report = new StringBuilder("# Failures on a cluster (FailuresOnClusterIT)\n\n");
        report.append(String.format("%,d changes over %,d document ids (seed %d): %s; %,d live documents, %,d chunks.%n%n",
                CHANGES, DOCUMENTS, SEED, churn.counts, liveDocuments, entries));
        report.append("Timeline:\n\n");
        events.forEach(event -> report.append("- ").append(event).append('\n'));
        report.append("\n| store | compared keys | missing | orphan | differing | duplicate | restarts | texts embedded "
                + "| distinct | embedded again | kills that hit it | again per kill |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, StoreContents.Difference> store : Map.of("pgvector (disk cache)", pgvector,
                "lucene (memory cache)", lucene).entrySet()) {
            String name = store.getKey().split(" ")[0];
            StoreContents.Difference difference = store.getValue();
            JsonNode stats = embedded.get(name);
            report.append(String.format("| %s | %,d | %d | %d | %d | %d | %d | %,d | %,d | %,d | %d | %.1f |%n",
                    store.getKey(), difference.expected(), difference.missing().size(), difference.extra().size(),
                    difference.differing().size(), difference.duplicates(), restarts.get(name),
                    stats.path("texts").asLong(), stats.path("distinct_texts").asLong(),
                    stats.path("repeated_texts").asLong(), kills.get(name),
                    stats.path("repeated_texts").asLong() / (double) kills.get(name)));
        }
        report.append("\nState of the pgvector job at the end (idle, full RocksDB snapshot), per live chunk:\n\n"
                + "| vertex | bytes | bytes per chunk |\n|---|---|---|\n").append(state);
        return report.toString();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
