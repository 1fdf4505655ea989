package dev.flinkrag.table.functions;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.table.DocumentRowHistory;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL oracle of the composed path: a seeded random changelog of documents through {@code INCREMENTAL_CHUNKS}
 * and {@code EMBED} into a {@code lucene} or {@code pgvector} sink table, with failovers, ends in the from-scratch
 * index of the final documents (chunk ids, texts, positions, vectors), and no text reaches the model twice: unchanged
 * chunks, deletes, retractions and moved chunks cost no model call.
 */
class ComposedSqlIndexITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @TempDir
    Path temp;

    @BeforeEach
    void reset() {
        HashingEmbeddingModel.reset();
        InjectedFailures.reset();
    }

    @ParameterizedTest(name = "{0}, parallelism {1}")
    @CsvSource({"lucene, 1", "lucene, 4", "pgvector, 2"})
    void chunksAndEmbedIntoASinkTableEndInTheFromScratchIndex(String store, int parallelism) throws Exception {
        DocumentRowHistory history = DocumentRowHistory.random(700 + parallelism + store.length(), 12, 200);
        int rows = history.rows().size();
        StreamExecutionEnvironment env = TestClusters.restarting(parallelism);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.exec.async-scalar.max-concurrent-operations", "64");
        DataStream<Row> changelog = env.fromData(DocumentRowHistory.ROW_TYPE, history.rows().toArray(Row[]::new))
                .map(new InjectedFailures<Row>(rows / 3, rows * 2 / 3))
                .returns(DocumentRowHistory.ROW_TYPE)
                .setParallelism(1);
        tables.createTemporaryView("docs", tables.fromChangelogStream(changelog,
                Schema.newBuilder().primaryKey("id").build(), ChangelogMode.all()));
        tables.executeSql("LOAD MODULE flinkrag WITH ('model.provider' = '" + HashingModelFactory.PROVIDER
                + "', 'model.name' = 'composed-" + store + parallelism + "', 'embedding.batch.max-size' = '16')");
        Path index = temp.resolve("index");
        String url = store.equals("pgvector") ? PostgresServer.get().createDatabase() : null;
        String storeOptions = url == null ? "'connector' = 'lucene', 'path' = '" + index + "'"
                : "'connector' = 'pgvector', 'url' = '" + url + "', 'username' = 'postgres', 'table-name' = 'chunks', "
                        + "'dimension' = '" + HashingEmbeddingModel.DIMENSION + "', 'create-table' = 'true'";
        tables.executeSql("CREATE TABLE chunks (id STRING, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, "
                + "`ordinal` INT, PRIMARY KEY (id) NOT ENFORCED) WITH (" + storeOptions
                + ", 'sink.buffer-flush.interval' = '5ms')");

        tables.executeSql("INSERT INTO chunks SELECT chunk_id, text, EMBED(text), id, `ordinal` FROM "
                + "INCREMENTAL_CHUNKS(input => TABLE docs PARTITION BY id, text_column => 'body', "
                + "uid => 'docs-chunks')").await();

        assertThat(InjectedFailures.FAILURES).hasValue(2);
        List<DocumentChange> withoutMetadata = new ArrayList<>();
        history.finalDocuments().forEach(document -> withoutMetadata.add(
                DocumentChange.upsert(document.docId(), 1, document.text(), Map.of())));
        Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(withoutMetadata,
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf);
        assertThat(expected).hasSizeGreaterThan(50);
        assertThat(url == null ? IndexOracle.stored(index) : IndexOracle.storedInPgVector(url, "chunks"))
                .isEqualTo(expected);
        Set<String> everChunked = new HashSet<>();
        history.upsertedTexts().forEach(text -> everChunked.addAll(
                HashingEmbeddingModel.SPLITTING.createSplitter().apply(text)));
        assertThat(HashingEmbeddingModel.EMBEDDED.keySet()).isSubsetOf(everChunked);
        assertThat(HashingEmbeddingModel.EMBEDDED.values()).extracting(AtomicInteger::get).containsOnly(1);
    }
}
