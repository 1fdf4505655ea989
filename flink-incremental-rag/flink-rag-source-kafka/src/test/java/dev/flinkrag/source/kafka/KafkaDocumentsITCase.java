package dev.flinkrag.source.kafka;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.testing.DocumentHistory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testing.Prose;
import dev.flinkrag.testutils.Await;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.KafkaBroker;
import dev.flinkrag.testutils.TestClusters;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Documents from a real Kafka broker (KRaft, a local process) through the pipeline into a Lucene index. */
class KafkaDocumentsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    /**
     * A random history as JSON records keyed by document id (deletes as tombstones) in 3 partitions, read with
     * failovers from checkpoints: the index equals a from-scratch index of each document's last record.
     */
    @Test
    void jsonDocumentsWithFailoversEndInTheFromScratchIndex() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("documents", 3);
        DocumentHistory history = DocumentHistory.random(71, 12, 160);
        Map<String, DocumentChange> last = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (DocumentChange change : history.changes()) {
                byte[] value = change.kind() == DocumentChange.Kind.DELETE ? null
                        : JSON.writeValueAsBytes(Map.of("text", change.text(), "metadata", change.metadata()));
                producer.send(new ProducerRecord<>("documents", bytes(change.docId()), value));
                last.put(change.docId(), change);
            }
        }
        InjectedFailures.reset();
        int changes = history.changes().size();
        StreamExecutionEnvironment env = TestClusters.restarting(2);
        DataStream<DocumentChange> documents = env.fromSource(KafkaDocuments.builder()
                        .bootstrapServers(kafka.bootstrapServers()).topics("documents").groupId("json-test")
                        .format(KafkaDocumentFormat.JSON).boundedToLatest().build(),
                        WatermarkStrategy.noWatermarks(), "kafka documents")
                .map(new InjectedFailures<>(changes / 3, changes * 2 / 3))
                .setParallelism(1);
        Path index = temp.resolve("index");
        index(documents).sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index).flushInterval(Duration.ofMillis(20)));
        env.execute("kafka documents");

        assertThat(InjectedFailures.FAILURES).hasValue(2);
        Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(last.values(),
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf);
        assertThat(IndexOracle.stored(index)).isEqualTo(expected).hasSizeGreaterThan(30);
    }

    /**
     * Debezium change events of a documents table (snapshot, insert, update, delete and its tombstone) end in the
     * index of the table's final rows; a malformed event, a NULL body and an unknown operation are dead-lettered
     * with the reason, and nothing else is lost.
     */
    @Test
    void debeziumChangeEventsAndBadEvents() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("pg.public.documents", 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            send(producer, "1", event("r", null, row("1", "Snapshot text of the first document.", "Intro")));
            send(producer, "2", event("r", null, row("2", "The second document, soon deleted.", "Gone")));
            send(producer, "1", enveloped(event("u", row("1", "Snapshot text of the first document.", "Intro"),
                    row("1", "The first document, rewritten after the snapshot.", "Intro v2"))));
            send(producer, "2", event("d", row("2", "The second document, soon deleted.", "Gone"), null));
            producer.send(new ProducerRecord<>("pg.public.documents", bytes("{\"id\":\"2\"}"), null));
            send(producer, "3", event("c", null, row("3", "A third document inserted later.", "Third")));
            send(producer, "4", "{not json".getBytes(StandardCharsets.UTF_8));
            send(producer, "5", event("c", null, row("5", null, "No body")));
            send(producer, "6", event("t", null, null));
        }
        StreamExecutionEnvironment env = TestClusters.restarting(2);
        DataStream<DocumentChange> documents = env.fromSource(KafkaDocuments.builder()
                        .bootstrapServers(kafka.bootstrapServers()).topics("pg.public.documents").groupId("debezium")
                        .format(KafkaDocumentFormat.DEBEZIUM_JSON).idColumn("id").textColumn("body")
                        .boundedToLatest().build(),
                WatermarkStrategy.noWatermarks(), "debezium documents");
        IndexingPipeline.Embedded result = index(documents);
        Path index = temp.resolve("index");
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index).flushInterval(Duration.ofMillis(20)));
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<DeadLetter> letters = result.deadLetters().executeAndCollect()) {
            letters.forEachRemaining(deadLetters::add);
        }

        assertThat(deadLetters).extracting(DeadLetter::reason).satisfiesExactlyInAnyOrder(
                reason -> assertThat(reason).contains("pg.public.documents-").contains("the value is not valid JSON"),
                reason -> assertThat(reason).contains("column 'body' is NULL"),
                reason -> assertThat(reason).contains("field 'op' is 't'"));
        assertThat(deadLetters).extracting(DeadLetter::docId).containsExactlyInAnyOrder("4", "5", "6");
        Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(List.of(
                        DocumentChange.upsert("1", 1, "The first document, rewritten after the snapshot.",
                                Map.of("title", "Intro v2")),
                        DocumentChange.upsert("3", 1, "A third document inserted later.", Map.of("title", "Third"))),
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf);
        assertThat(IndexOracle.stored(index)).isEqualTo(expected);
    }

    /**
     * Stop with a savepoint, change two of six documents (an added paragraph, a tombstone), resume: only the chunks
     * whose text is new are embedded (each job has a fresh model id, so no embedding cache helps; the chunker state
     * does).
     */
    @Test
    void aResumeFromASavepointEmbedsOnlyWhatChanged() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("resumed", 2);
        Prose prose = new Prose(5);
        Map<String, DocumentChange> last = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 6; i++) {
                publish(producer, "resumed", last, DocumentChange.upsert("doc-" + i, 1,
                        Prose.join(prose.paragraphs(3 + i)), Map.of("title", "Document " + i)));
            }
        }
        Path index = temp.resolve("index");
        JobClient first = startUnbounded(kafka, "resumed", index, null);
        Await.equal(() -> IndexOracle.stored(index), () -> expectedIndex(last), CONVERGENCE);
        String savepoint = first.stopWithSavepoint(false, temp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        Set<String> textsBefore = textsOf(expectedIndex(last));
        HashingEmbeddingModel.reset();

        String added = prose.paragraph();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            DocumentChange edited = last.get("doc-2");
            publish(producer, "resumed", last, DocumentChange.upsert("doc-2", 2, edited.text() + "\n\n" + added,
                    edited.metadata()));
            publish(producer, "resumed", last, DocumentChange.delete("doc-4", 2));
        }
        JobClient resumed = startUnbounded(kafka, "resumed", index, savepoint);
        Await.equal(() -> IndexOracle.stored(index), () -> expectedIndex(last), CONVERGENCE);
        resumed.cancel().get();

        Set<String> newTexts = textsOf(expectedIndex(last));
        newTexts.removeAll(textsBefore);
        // the appended paragraph may also re-cut the chunks before it; what is embedded is exactly what is new
        assertThat(newTexts).isNotEmpty().anySatisfy(text -> assertThat(text).contains(added));
        assertThat(HashingEmbeddingModel.EMBEDDED.keySet()).as("only the chunks whose text is new")
                .containsExactlyInAnyOrderElementsOf(newTexts);
    }

    private static Set<String> textsOf(Map<String, IndexOracle.Entry> index) {
        Set<String> texts = new HashSet<>();
        index.values().forEach(entry -> texts.add(entry.text()));
        return texts;
    }

    private static JobClient startUnbounded(KafkaBroker kafka, String topic, Path index, String savepoint)
            throws Exception {
        Configuration configuration = new Configuration();
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = TestClusters.environment(configuration, 2);
        env.enableCheckpointing(200);
        DataStream<DocumentChange> documents = env.fromSource(KafkaDocuments.builder()
                        .bootstrapServers(kafka.bootstrapServers()).topics(topic).groupId("resume-test").build(),
                WatermarkStrategy.noWatermarks(), "kafka documents").uid("kafka-documents");
        index(documents).sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index).flushInterval(Duration.ofMillis(20)));
        return env.executeAsync("kafka documents, resumable");
    }

    private static void publish(KafkaProducer<byte[], byte[]> producer, String topic, Map<String, DocumentChange> last,
            DocumentChange change) throws Exception {
        byte[] value = change.kind() == DocumentChange.Kind.DELETE ? null
                : JSON.writeValueAsBytes(Map.of("text", change.text(), "metadata", change.metadata()));
        producer.send(new ProducerRecord<>(topic, bytes(change.docId()), value)).get();
        last.put(change.docId(), change);
    }

    private static Map<String, IndexOracle.Entry> expectedIndex(Map<String, DocumentChange> last) {
        return IndexOracle.fromScratch(last.values(), HashingEmbeddingModel.SPLITTING.createSplitter(),
                HashingEmbeddingModel::vectorOf);
    }

    private static IndexingPipeline.Embedded index(DataStream<DocumentChange> documents) {
        return IndexingPipeline.named("flink-rag").read(documents).parse().chunk()
                .embed(HashingEmbeddingModel.modelProvider(), EmbeddingOptions.builder().maxBatchSize(8).build());
    }

    private static Map<String, Object> row(String id, String body, String title) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("body", body);
        row.put("title", title);
        return row;
    }

    private static byte[] event(String op, Map<String, Object> before, Map<String, Object> after) throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("before", before);
        event.put("after", after);
        event.put("op", op);
        event.put("ts_ms", System.currentTimeMillis());
        return JSON.writeValueAsBytes(event);
    }

    /** The same event as Debezium's JSON converter writes it with schemas on. */
    private static byte[] enveloped(byte[] event) throws Exception {
        return JSON.writeValueAsBytes(Map.of("schema", Map.of("type", "struct"), "payload", JSON.readTree(event)));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String id, byte[] value) {
        producer.send(new ProducerRecord<>("pg.public.documents", bytes("{\"id\":\"" + id + "\"}"), value));
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
