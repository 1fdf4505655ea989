package dev.flinkrag.e2e;

import dev.flinkrag.testutils.KafkaBroker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka Q&amp;A example as its own JVM, answering from the Lucene index the local example job keeps fresh in
 * another JVM: questions in a topic get answers in another, cited from the right files and in each conversation's
 * order; an unreadable record and a bad filter are dead letters in a third topic; and a question asked after a file
 * edit is answered from the edited text.
 */
class KafkaQuestionAnsweringIT {

    private static final Path EXAMPLES_JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final ObjectMapper json = new ObjectMapper();
    private final LocalProcesses processes = new LocalProcesses();

    @TempDir
    Path temp;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.close();
    }

    @Test
    void answersQuestionsFromATopicFromTheLiveIndex() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        Path work = temp.resolve("work");
        int jobPort = LocalProcesses.freePort();
        processes.start(temp.resolve("index-job.log"), "java", "-jar", EXAMPLES_JAR.toString(), docs.toString(),
                "--work-dir", work.toString(), "--port", Integer.toString(jobPort), "--scan-interval-ms", "200",
                "--checkpoint-interval-ms", "1000");
        await(() -> Files.isDirectory(work.resolve("index")) && fileCount(jobPort) >= 25, "the folder to be indexed");
        Thread.sleep(2_000); // a checkpoint commits the index the Q&A job reads

        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("e2e-questions", 2);
        kafka.createTopic("e2e-answers", 2);
        kafka.createTopic("e2e-questions-dead-letters", 1);
        processes.start(temp.resolve("qa-job.log"), "java", "-cp", EXAMPLES_JAR.toString(),
                "dev.flinkrag.examples.KafkaQuestionAnswering", "--bootstrap-servers", kafka.bootstrapServers(),
                "--questions-topic", "e2e-questions", "--answers-topic", "e2e-answers", "--dead-letters-topic",
                "e2e-questions-dead-letters", "--checkpoint-interval-ms", "1000", "--store", "lucene", "--path",
                work.resolve("index").toString(), "--qa.concurrency", "4");

        try (KafkaProducer<String, String> producer = producer(kafka);
                KafkaConsumer<String, String> answers = consumer(kafka, "e2e-answers");
                KafkaConsumer<String, String> deadLetters = consumer(kafka, "e2e-questions-dead-letters")) {
            send(producer, "alice", "{\"id\": \"a1\", \"question\": \"How often should I feed a sourdough starter?\"}");
            send(producer, "alice", "{\"id\": \"a2\", \"question\": \"Why does my espresso taste bitter?\"}");
            send(producer, "alice", "{\"id\": \"a3\", \"question\": \"How do birds find their way when migrating?\"}");
            send(producer, "bob", "{\"id\": \"b1\", \"question\": \"How do I care for it?\", "
                    + "\"filter\": \"contains(path, 'knife')\"}");
            send(producer, "bob", "not json {");
            send(producer, "bob", "{\"id\": \"b2\", \"question\": \"anything\", \"filter\": \"owner == \"}");

            Map<String, JsonNode> answered = new LinkedHashMap<>();
            List<String> aliceOrder = new ArrayList<>();
            await(() -> {
                for (ConsumerRecord<String, String> record : answers.poll(Duration.ofMillis(500))) {
                    JsonNode answer = json.readTree(record.value());
                    answered.put(answer.get("id").asText(), answer);
                    if (record.key().equals("alice")) {
                        aliceOrder.add(answer.get("id").asText());
                    }
                }
                return answered.size() >= 4;
            }, "four answers");
            assertThat(aliceOrder).as("alice's answers in the order she asked").containsExactly("a1", "a2", "a3");
            assertThat(answered.get("a1").get("sources").get(0).asText()).isEqualTo("kitchen/sourdough-starter.md");
            assertThat(answered.get("a2").get("sources").get(0).asText()).isEqualTo("kitchen/coffee-extraction.md");
            assertThat(answered.get("a3").get("sources").get(0).asText()).isEqualTo("nature/bird-migration.md");
            assertThat(answered.get("b1").get("sources")).allSatisfy(source ->
                    assertThat(source.asText()).isEqualTo("kitchen/knife-care.md"));
            assertThat(answered.get("a1").get("answer").asText()).isNotBlank().contains("[1]");

            Map<String, String> reasons = new LinkedHashMap<>();
            await(() -> {
                for (ConsumerRecord<String, String> record : deadLetters.poll(Duration.ofMillis(500))) {
                    JsonNode letter = json.readTree(record.value());
                    reasons.put(letter.get("id").asText(), letter.get("reason").asText());
                }
                return reasons.size() >= 2;
            }, "two dead letters");
            assertThat(reasons.get("b2")).startsWith("field 'filter': ");
            assertThat(reasons).hasSize(2).anySatisfy((id, reason) ->
                    assertThat(reason).matches("record e2e-questions-\\d-\\d+ is not JSON: .*"));

            String added = "Ceramic knives stay sharp for years but chip easily on frozen food.";
            Files.writeString(docs.resolve("kitchen/knife-care.md"), "\n" + added + "\n", StandardOpenOption.APPEND);
            int[] asked = {0};
            await(() -> {
                String id = "c" + asked[0]++;
                send(producer, "carol", "{\"id\": \"" + id + "\", \"question\": \"Do ceramic knives chip on frozen "
                        + "food?\"}");
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : answers.poll(Duration.ofMillis(500))) {
                        JsonNode answer = json.readTree(record.value());
                        if (answer.get("id").asText().equals(id)) {
                            return answer.get("answer").asText().contains("Ceramic knives stay sharp");
                        }
                    }
                }
                return false;
            }, "an answer from the edited file");
        }
    }

    private int fileCount(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/statistics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? json.readTree(response.body()).path("file_count").asInt() : 0;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker kafka, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void send(KafkaProducer<String, String> producer, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>("e2e-questions", key, value)).get();
    }

    private static void await(Awaiting.Condition condition, String what) throws Exception {
        Awaiting.await(condition, what, PATIENCE);
    }
}
