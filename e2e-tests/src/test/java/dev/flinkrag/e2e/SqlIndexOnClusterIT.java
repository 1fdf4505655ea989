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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole SQL face as a SQL user runs it: Flink's SQL client in gateway mode against a session cluster adds the SQL
 * jar (and Flink's Kafka SQL connector) with {@code ADD JAR}; one script creates a {@code document-folder} table and
 * an {@code upsert-kafka} document table (a real KRaft broker), two {@code rag-index} tables into real pgvector with
 * the in-process model, and starts both {@code INSERT}s. Edits, deletes and new documents in the folder and on the
 * topic reach pgvector; then a second script with {@code CREATE FUNCTION … USING JAR} embeds a question and finds the
 * edited chunk with {@code VECTOR_SEARCH}.
 */
class SqlIndexOnClusterIT {

    private static final Path SQL_JAR = Path.of(System.getProperty("sql.jar"));
    private static final Path KAFKA_SQL_JAR = Path.of(System.getProperty("kafka.sql.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aFolderAndATopicAreIndexedFromSqlAndSearchedWithVectorSearch() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        String url = PostgresServer.get().createDatabase();
        ChunksTable handbook = new ChunksTable(url, "handbook");
        ChunksTable notes = new ChunksTable(url, "notes");
        KafkaBroker kafka = KafkaBroker.get();
        kafka.createTopic("sql-notes", 2);
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            send(producer, "note-1", note("Oil the hinges of the garden gate every spring.", "Gate"));
            send(producer, "note-2", note("The boiler needs a service before the heating season.", "Boiler"));
        }
        Path index = Files.writeString(temp.resolve("index.sql"), """
                ADD JAR '%s';
                ADD JAR '%s';
                SET 'execution.checkpointing.interval' = '1s';
                CREATE TABLE folder_docs (
                  doc_id STRING, text STRING, title STRING, file_name STRING, PRIMARY KEY (doc_id) NOT ENFORCED
                ) WITH ('connector' = 'document-folder', 'path' = '%s', 'source.monitor-interval' = '500ms');
                CREATE TABLE kafka_notes (
                  id STRING, body STRING, title STRING, PRIMARY KEY (id) NOT ENFORCED
                ) WITH ('connector' = 'upsert-kafka', 'topic' = 'sql-notes', 'properties.bootstrap.servers' = '%s',
                        'key.format' = 'raw', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY');
                CREATE TABLE handbook_index (
                  doc_id STRING, text STRING, title STRING, file_name STRING, PRIMARY KEY (doc_id) NOT ENFORCED
                ) WITH ('connector' = 'rag-index', 'store' = 'pgvector', 'url' = '%s', 'username' = 'postgres',
                        'table-name' = 'handbook', 'create-table' = 'true');
                CREATE TABLE notes_index (
                  id STRING, body STRING, title STRING, PRIMARY KEY (id) NOT ENFORCED
                ) WITH ('connector' = 'rag-index', 'store' = 'pgvector', 'url' = '%s', 'username' = 'postgres',
                        'table-name' = 'notes', 'create-table' = 'true', 'text-column' = 'body');
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO handbook_index SELECT * FROM folder_docs;
                  INSERT INTO notes_index SELECT * FROM kafka_notes;
                END;
                """.formatted(SQL_JAR, KAFKA_SQL_JAR, docs, kafka.bootstrapServers(), url, url));
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(temp.resolve("cluster"))) {
            cluster.startSqlGateway();
            String output = cluster.runSqlScript(Path.of(System.getProperty("sql.client.jar")), index);
            assertThat(output).as(output + cluster.logs()).doesNotContain("[ERROR]").contains("Job ID");
            Set<String> files = files(docs);
            handbook.await(cluster, () -> handbook.chunksPerDocument().keySet().equals(files), files::toString);
            notes.await(cluster, () -> notes.chunksPerDocument().keySet().equals(Set.of("note-1", "note-2")),
                    () -> "note-1, note-2");

            Path coffee = docs.resolve("kitchen/coffee-extraction.md");
            Files.writeString(coffee, Files.readString(coffee)
                    + "\n\nA pinch of salt in the grounds tames the bitterness of over-extracted coffee.\n");
            Files.delete(docs.resolve("science/sleep.md"));
            Files.writeString(docs.resolve("kitchen/new-recipe.md"), "Toast the cumin seeds before grinding them.");
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                send(producer, "note-1", note("Oil the hinges and the lock of the garden gate every spring.", "Gate"));
                send(producer, "note-2", null);
                send(producer, "note-3", note("Bleed the radiators before the first cold night.", "Radiators"));
            }
            Set<String> edited = files(docs);
            handbook.await(cluster, () -> handbook.chunksPerDocument().keySet().equals(edited)
                    && handbook.chunksWithTextLike("%pinch of salt%") == 1, edited::toString);
            notes.await(cluster, () -> notes.chunksPerDocument().keySet().equals(Set.of("note-1", "note-3"))
                    && notes.chunksWithTextLike("%and the lock%") == 1, () -> "note-1 (edited), note-3");

            Path search = Files.writeString(temp.resolve("search.sql"), """
                    CREATE TEMPORARY FUNCTION embed_text AS 'dev.flinkrag.table.functions.EmbedFunction'
                      USING JAR '%s';
                    SET 'sql-client.execution.result-mode' = 'tableau';
                    CREATE TABLE handbook_chunks (
                      id STRING, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, title STRING,
                      PRIMARY KEY (id) NOT ENFORCED
                    ) WITH ('connector' = 'pgvector', 'url' = '%s', 'username' = 'postgres',
                            'table-name' = 'handbook', 'dimension' = '384');
                    CREATE TEMPORARY VIEW questions AS SELECT embed_text(q) AS question_vector
                      FROM (VALUES ('How does salt tame the bitterness of coffee?')) AS t(q);
                    SELECT doc_id, text LIKE '%%pinch of salt%%' AS edited_chunk FROM (SELECT * FROM questions,
                      LATERAL TABLE(VECTOR_SEARCH(TABLE handbook_chunks, DESCRIPTOR(embedding),
                      questions.question_vector, 3)));
                    """.formatted(SQL_JAR, url));
            String found = cluster.runSqlScript(Path.of(System.getProperty("sql.client.jar")), search);
            assertThat(found).as(found + cluster.logs()).doesNotContain("[ERROR]")
                    .containsPattern("kitchen/coffee-extraction.md \\|\\s+TRUE");
            assertThat(cluster.get("/jobs/overview")).containsPattern("\"state\":\"RUNNING\"");
        }
    }

    private static Set<String> files(Path root) throws Exception {
        Set<String> files = new HashSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> files.add(root.relativize(file).toString()));
        }
        return files;
    }

    private static String note(String body, String title) throws Exception {
        return JSON.writeValueAsString(Map.of("body", body, "title", title));
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String id, String value) throws Exception {
        producer.send(new ProducerRecord<>("sql-notes", id, value)).get();
    }
}
