package dev.flinkrag.e2e;

import dev.flinkrag.testutils.KafkaBroker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

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
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring example as its own JVM on a live log stream in a real KRaft broker: four services log steadily,
 * checkout fails with payment gateway timeouts; each 2 s window of each service becomes a document, windows older
 * than 10 s are deleted again, and {@code /v2/answer} says what is failing in checkout from the last windows only.
 * A line that is not JSON is skipped with its reason; the rest flows.
 */
class LogMonitoringIT {

    private static final Path EXAMPLES_JAR = Path.of(System.getProperty("examples.jar"));
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String[] SERVICES = {"checkout", "payments", "search", "inventory"};
    private static final String FAILURE = "payment gateway timeout after 3000 ms (provider=acme-pay)";
    private static final long RETENTION_MILLIS = 10_000;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalProcesses processes = new LocalProcesses();
    private final AtomicBoolean logging = new AtomicBoolean(true);
    private final AtomicBoolean sendUnreadableLine = new AtomicBoolean();

    @TempDir
    Path temp;

    @AfterEach
    void stop() throws InterruptedException {
        logging.set(false);
        processes.close();
    }

    @Test
    void answersWhatIsFailingFromTheLastWindowsOfALiveLogStream() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("e2e-logs", 2);
        int port = LocalProcesses.freePort();
        processes.start(temp.resolve("job.log"), "java", "-cp", EXAMPLES_JAR.toString(),
                "dev.flinkrag.examples.LogMonitoring", "--bootstrap-servers", kafka.bootstrapServers(), "--topic",
                "e2e-logs", "--window", "2s", "--retention", RETENTION_MILLIS / 1000 + "s", "--port",
                Integer.toString(port), "--work-dir", temp.resolve("work").toString(), "--checkpoint-interval-ms", "1000");
        Thread logger = new Thread(() -> produceLogs(kafka), "e2e-log-producer");
        logger.setDaemon(true);
        logger.start();

        await(() -> answer(port).path("response").asText().contains("checkout is failing"),
                "an answer saying checkout is failing");
        JsonNode answer = answer(port);
        assertThat(answer.get("response").asText()).contains(FAILURE);
        assertThat(answer.get("sources")).isNotEmpty().allSatisfy(source ->
                assertThat(source.get("path").asText()).startsWith("logs/checkout/"));

        // the job reads the topic now: a line that is not JSON is skipped, and the stream goes on
        sendUnreadableLine.set(true);
        await(() -> Files.readString(temp.resolve("job.log")).contains("skipped log line not json at all: "),
                "the unreadable line to be skipped");

        // the first windows leave the index once they are older than the retention
        Set<String> firstSeen = documents(port);
        assertThat(firstSeen).isNotEmpty();
        await(() -> {
            Set<String> now = documents(port);
            return !now.isEmpty() && now.stream().noneMatch(firstSeen::contains);
        }, "the first windows to be deleted after the retention");
        JsonNode listed = json.readTree(call(port, "/v1/inputs", "{}").body());
        long oldestAllowed = System.currentTimeMillis() - RETENTION_MILLIS - 15_000; // windows, lateness, checkpoints
        assertThat(listed).allSatisfy(document -> assertThat(Instant.parse(document.get("window_end").asText())
                .toEpochMilli()).isGreaterThan(oldestAllowed));
        assertThat(listed.size()).as("four services, at most a retention's worth of 2 s windows each, plus those "
                + "not yet deleted").isLessThanOrEqualTo(4 * (int) (RETENTION_MILLIS / 2_000 + 4));
    }

    /** The one-command form: generated logs, checkout failing after 3 s; nothing else to run. */
    @Test
    void theGeneratedIncidentIsAnsweredWithOneCommand() throws Exception {
        int port = LocalProcesses.freePort();
        processes.start(temp.resolve("generated.log"), "java", "-cp", EXAMPLES_JAR.toString(),
                "dev.flinkrag.examples.LogMonitoring", "--generate", "--rate", "200", "--incident-after", "3s",
                "--window", "2s", "--retention", "10s", "--port", Integer.toString(port), "--work-dir",
                temp.resolve("generated").toString());
        await(() -> answer(port).path("response").asText().contains("checkout is failing"),
                "an answer saying checkout is failing");
        JsonNode answer = answer(port);
        assertThat(answer.get("response").asText()).contains("payment gateway timeout after 3000 ms");
        assertThat(answer.get("sources")).allSatisfy(source ->
                assertThat(source.get("path").asText()).startsWith("logs/checkout/"));
    }

    /** 40 lines a second over four services; checkout fails half the time; a line that is not JSON when asked. */
    private void produceLogs(KafkaBroker kafka) {
        Random random = new Random(7);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (long i = 0; logging.get(); i++) {
                String service = SERVICES[(int) (i % SERVICES.length)];
                boolean failing = service.equals("checkout") && random.nextBoolean();
                String line = json.createObjectNode().put("ts", System.currentTimeMillis()).put("service", service)
                        .put("level", failing ? "ERROR" : "INFO")
                        .put("message", failing ? FAILURE : "request served in " + random.nextInt(100) + " ms").toString();
                producer.send(new ProducerRecord<>("e2e-logs", service, line));
                if (sendUnreadableLine.getAndSet(false)) {
                    producer.send(new ProducerRecord<>("e2e-logs", "search", "not json at all"));
                }
                Thread.sleep(25);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode answer(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = call(port, "/v2/answer",
                "{\"prompt\": \"what is failing in checkout right now?\"}");
        return response.statusCode() == 200 ? json.readTree(response.body()) : json.createObjectNode();
    }

    private Set<String> documents(int port) throws IOException, InterruptedException {
        Set<String> paths = new HashSet<>();
        json.readTree(call(port, "/v1/inputs", "{}").body()).forEach(document -> paths.add(document.get("path").asText()));
        return paths;
    }

    private HttpResponse<String> call(int port, String route, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(Awaiting.Condition condition, String what) throws Exception {
        Awaiting.await(condition, what, PATIENCE);
    }
}
