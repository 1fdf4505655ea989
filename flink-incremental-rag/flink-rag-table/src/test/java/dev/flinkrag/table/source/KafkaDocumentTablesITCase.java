package dev.flinkrag.table.source;

import dev.flinkrag.table.DocumentRowHistory;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testutils.KafkaBroker;
import dev.flinkrag.testutils.TestClusters;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's own Kafka tables are document tables too: an {@code upsert-kafka} topic (deletes as tombstones) and a
 * {@code kafka} topic of Debezium change events ({@code 'format' = 'debezium-json'}), each a random history in 2
 * partitions on a real broker, end through a {@code rag-index} table in the from-scratch index of the final rows.
 */
class KafkaDocumentTablesITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @BeforeEach
    void reset() {
        HashingEmbeddingModel.reset();
    }

    @Test
    void anUpsertKafkaTopicEndsInTheFromScratchIndex() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("upsert-documents", 2);
        DocumentRowHistory history = DocumentRowHistory.random(91, 10, 150);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (Row row : history.rows()) {
                if (row.getKind() != RowKind.UPDATE_BEFORE) {
                    producer.send(new ProducerRecord<>("upsert-documents", bytes((String) row.getField(0)),
                            row.getKind() == RowKind.DELETE ? null : JSON.writeValueAsBytes(columns(row))));
                }
            }
        }

        Path index = indexTopic("CREATE TABLE docs (id STRING, body STRING, title STRING, path STRING, PRIMARY KEY (id) "
                + "NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'upsert-documents', "
                + "'properties.bootstrap.servers' = '" + kafka.bootstrapServers() + "', 'key.format' = 'raw', "
                + "'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset')");

        assertThat(IndexOracle.stored(index)).isEqualTo(fromScratch(history)).hasSizeGreaterThan(30);
    }

    @Test
    void debeziumChangeEventsEndInTheFromScratchIndex() throws Exception {
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("pg.public.docs", 2);
        DocumentRowHistory history = DocumentRowHistory.random(92, 10, 150);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            List<Row> rows = history.rows();
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                Map<String, Object> event = new HashMap<>();
                switch (row.getKind()) {
                    case INSERT -> event.putAll(Map.of("op", "c", "after", columns(row)));
                    case UPDATE_BEFORE -> event.putAll(Map.of("op", "u", "before", columns(row),
                            "after", columns(rows.get(++i))));
                    case DELETE -> event.putAll(Map.of("op", "d", "before", columns(row)));
                    default -> throw new IllegalStateException("unexpected " + row);
                }
                producer.send(new ProducerRecord<>("pg.public.docs", bytes((String) row.getField(0)),
                        JSON.writeValueAsBytes(event)));
            }
        }

        Path index = indexTopic("CREATE TABLE docs (id STRING, body STRING, title STRING, path STRING) WITH ("
                + "'connector' = 'kafka', 'topic' = 'pg.public.docs', 'properties.bootstrap.servers' = '"
                + kafka.bootstrapServers() + "', 'properties.group.id' = 'debezium-docs', 'format' = 'debezium-json', "
                + "'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");

        assertThat(IndexOracle.stored(index)).isEqualTo(fromScratch(history)).hasSizeGreaterThan(30);
    }

    private Path indexTopic(String documentTable) throws Exception {
        StreamTableEnvironment tables = StreamTableEnvironment.create(TestClusters.environment(new Configuration(), 2));
        tables.executeSql(documentTable);
        Path index = temp.resolve("index");
        tables.executeSql("CREATE TABLE idx (doc_id STRING, text STRING, title STRING, path STRING, PRIMARY KEY "
                + "(doc_id) NOT ENFORCED) WITH ('connector' = 'rag-index', 'store' = 'lucene', 'path' = '" + index
                + "', 'model.provider' = '" + HashingModelFactory.PROVIDER + "', 'sink.buffer-flush.interval' = '20ms')");
        tables.executeSql("INSERT INTO idx SELECT * FROM docs").await();
        return index;
    }

    private static Map<String, IndexOracle.Entry> fromScratch(DocumentRowHistory history) {
        return IndexOracle.fromScratch(history.finalDocuments(), HashingEmbeddingModel.SPLITTING.createSplitter(),
                HashingEmbeddingModel::vectorOf);
    }

    private static Map<String, Object> columns(Row row) {
        return Map.of("id", row.getField(0), "body", row.getField(1), "title", row.getField(2), "path", row.getField(3));
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
