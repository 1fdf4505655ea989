package dev.flinkrag.e2e;

import dev.flinkrag.testutils.KafkaBroker;
import dev.flinkrag.testutils.PostgresServer;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code KafkaToPgVector} example submitted with {@code flink run} to a real session cluster (whose classpath
 * has no Kafka client: the examples jar must bring it), reading JSON documents from a topic of a real KRaft broker:
 * the documents are indexed, then an edit, a tombstone, a new document and a malformed record arrive while the job
 * runs; the malformed one is dead-lettered and the job keeps the table equal to the topic's documents.
 */
class KafkaToPgVectorOnClusterIT {

    private static final Path JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aTopicOfDocumentsIsFollowedIntoPgVector() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("e2e-documents", 2);
        ChunksTable database = new ChunksTable(PostgresServer.get().createDatabase());
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (String name : List.of("kitchen/coffee-extraction.md", "science/sleep.md", "home/composting.md")) {
                send(producer, name, document(Files.readString(SAMPLES.resolve(name)), "Sample " + name));
            }
        }
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(Files.createDirectories(temp.resolve("flink")))) {
            String submitted = cluster.submitMainClass(JAR, "dev.flinkrag.examples.KafkaToPgVector",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "e2e-documents", "--group-id", "e2e",
                    "--jdbc-url", database.url(), "--user", "postgres", "--table", "chunks",
                    "--checkpoint-interval-ms", "1000");
            assertThat(submitted).contains("Job has been submitted with JobID");
            Set<String> first = Set.of("kitchen/coffee-extraction.md", "science/sleep.md", "home/composting.md");
            database.await(cluster, () -> database.chunksPerDocument().keySet().equals(first), first::toString);

            String coffee = Files.readString(SAMPLES.resolve("kitchen/coffee-extraction.md"));
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                send(producer, "kitchen/coffee-extraction.md", document(
                        coffee + "\n\nA pinch of salt in the grounds tames bitterness in a pinch.\n", "Coffee"));
                send(producer, "science/sleep.md", null); // a tombstone deletes the document
                send(producer, "notes/broken.md", "{\"text\": "); // malformed JSON: dead-lettered
                send(producer, "notes/new.md", document("Worm bins turn kitchen scraps into castings.", "New note"));
            }
            Set<String> last = Set.of("kitchen/coffee-extraction.md", "home/composting.md", "notes/new.md");
            database.await(cluster, () -> database.chunksPerDocument().keySet().equals(last)
                    && database.chunksWithTextLike("%pinch of salt%") == 1
                    && database.chunksWithTextLike("Worm bins%") == 1, last::toString);
            // document metadata is kept once per document, next to its chunks
            assertThat(database.rows("SELECT metadata->>'title', array_length(entry_ids, 1) FROM chunks_documents "
                    + "WHERE doc_id = ?", "kitchen/coffee-extraction.md"))
                    .containsOnlyKeys("Coffee").containsValue(database.chunksPerDocument().get("kitchen/coffee-extraction.md"));
            assertThat(cluster.logs()).contains("dead letter").contains("notes/broken.md");
            assertThat(cluster.get("/jobs/overview")).contains("\"state\":\"RUNNING\"");
        }
    }

    private static String document(String text, String title) throws Exception {
        return JSON.writeValueAsString(Map.of("text", text, "metadata", Map.of("title", title)));
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String docId, String value) throws Exception {
        producer.send(new ProducerRecord<>("e2e-documents", docId, value)).get();
    }
}
