package dev.flinkrag.table.index;

import dev.flinkrag.table.DocumentRowHistory;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL oracle of the one-statement index: a seeded random changelog of documents (inserts, edits, metadata
 * changes, deletes, re-creations, with UPDATE_BEFORE rows as CDC sends them) through {@code INSERT INTO} a
 * {@code rag-index} table ends in the index a from-scratch run of the DataStream pipeline builds of the final rows,
 * with failovers in the middle, and embeds no text twice.
 */
class RagIndexSqlITCase {

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
    @CsvSource({"lucene, 1", "lucene, 4", "pgvector, 4"})
    void aChangelogWithFailoversEndsInTheFromScratchIndexAndEmbedsNoTextTwice(String store, int parallelism)
            throws Exception {
        DocumentRowHistory history = DocumentRowHistory.random(500 + parallelism + store.length(), 12, 220);
        int rows = history.rows().size();
        StreamExecutionEnvironment env = TestClusters.restarting(parallelism);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        DataStream<Row> changelog = env.fromData(DocumentRowHistory.ROW_TYPE, history.rows().toArray(Row[]::new))
                .map(new InjectedFailures<Row>(rows / 3, rows * 2 / 3))
                .returns(DocumentRowHistory.ROW_TYPE)
                .setParallelism(1);
        tables.createTemporaryView("docs", tables.fromChangelogStream(changelog,
                Schema.newBuilder().primaryKey("id").build(), ChangelogMode.all()));
        Path index = temp.resolve("index");
        String url = store.equals("pgvector") ? PostgresServer.get().createDatabase() : null;
        String storeOptions = url == null ? "'store' = 'lucene', 'path' = '" + index + "'"
                : "'store' = 'pgvector', 'url' = '" + url + "', 'username' = '" + PostgresServer.get().user()
                        + "', 'table-name' = 'chunks', 'create-table' = 'true'";
        tables.executeSql("CREATE TABLE handbook_index (doc_id STRING, text STRING, title STRING, path STRING, "
                + "PRIMARY KEY (doc_id) NOT ENFORCED) WITH ('connector' = 'rag-index', " + storeOptions + ", "
                + "'model.provider' = '" + HashingModelFactory.PROVIDER + "', "
                + "'embedding.batch.max-size' = '8', 'sink.buffer-flush.interval' = '5ms')");

        tables.executeSql("INSERT INTO handbook_index SELECT id, body, title, path FROM docs").await();

        assertThat(InjectedFailures.FAILURES).hasValue(2);
        Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(history.finalDocuments(),
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

    /**
     * Bad rows in a changelog: a NULL text and texts the model refuses are dead-lettered (logged and counted) and left
     * out as a from-scratch run would leave them out; a NULL id never reaches the index (Flink's not-null enforcer of
     * the PRIMARY KEY column stands before every sink; with 'DROP' it drops the row instead of failing the job).
     * Every other document is indexed.
     */
    @Test
    void badRowsAreDeadLetteredAndNothingElseIsLost() throws Exception {
        DocumentRowHistory history = DocumentRowHistory.random(321, 8, 60);
        List<Row> rows = new ArrayList<>(history.rows());
        rows.add(Row.ofKind(RowKind.INSERT, null, "A row without an id.", "No id", "none"));
        rows.add(Row.ofKind(RowKind.INSERT, "no-text.md", null, "No text", "no-text.md"));
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.exec.sink.not-null-enforcer", "DROP");
        tables.createTemporaryView("docs", tables.fromChangelogStream(
                env.fromData(DocumentRowHistory.ROW_TYPE, rows.toArray(Row[]::new)), Schema.newBuilder().build(),
                ChangelogMode.all()));
        Path index = temp.resolve("index");
        tables.executeSql("CREATE TABLE idx (doc_id STRING, text STRING, title STRING, path STRING, PRIMARY KEY "
                + "(doc_id) NOT ENFORCED) WITH ('connector' = 'rag-index', 'store' = 'lucene', 'path' = '" + index
                + "', 'model.provider' = '" + HashingModelFactory.PROVIDER + "', 'model.name' = '"
                + HashingModelFactory.REFUSING + "-bad-rows', 'embedding.batch.max-size' = '4')");

        tables.executeSql("INSERT INTO idx SELECT id, body, title, path FROM docs").await();

        Map<String, IndexOracle.Entry> expected = new HashMap<>(IndexOracle.fromScratch(history.finalDocuments(),
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf));
        int before = expected.size();
        expected.values().removeIf(entry -> HashingEmbeddingModel.refuses(HashingModelFactory.REFUSE_ONE_TEXT_IN,
                entry.text()));
        assertThat(expected.size()).as("some chunks are refused, most are not").isBetween(before / 2, before - 1);
        assertThat(IndexOracle.stored(index)).isEqualTo(expected);
    }

    /** With 'dead-letters.table-name' the dead letters are also rows of a table in the pgvector store's database. */
    @Test
    void deadLettersAreWrittenToTheNamedTable() throws Exception {
        String url = PostgresServer.get().createDatabase();
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.createTemporaryView("docs", tables.fromChangelogStream(env.fromData(DocumentRowHistory.ROW_TYPE,
                Row.ofKind(RowKind.INSERT, "good.md", "A good document about knives.", "Good", "good.md"),
                Row.ofKind(RowKind.INSERT, "no-text.md", null, "No text", "no-text.md")),
                Schema.newBuilder().build(), ChangelogMode.all()));
        tables.executeSql("CREATE TABLE idx (doc_id STRING, body STRING, title STRING, path STRING, PRIMARY KEY "
                + "(doc_id) NOT ENFORCED) WITH ('connector' = 'rag-index', 'store' = 'pgvector', 'url' = '" + url
                + "', 'username' = 'postgres', 'table-name' = 'chunks', 'create-table' = 'true', 'text-column' = "
                + "'body', 'dead-letters.table-name' = 'rag_dead_letters', 'model.provider' = '"
                + HashingModelFactory.PROVIDER + "')");

        tables.executeSql("INSERT INTO idx SELECT * FROM docs").await();

        List<String> letters = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT doc_id, stage, reason FROM rag_dead_letters")) {
            while (rows.next()) {
                letters.add(rows.getString(1) + " | " + rows.getString(2) + " | " + rows.getString(3));
            }
        }
        assertThat(letters).singleElement().asString().startsWith("no-text.md | parse | ")
                .contains("column 'body' is NULL");
        assertThat(IndexOracle.storedInPgVector(url, "chunks").values()).extracting(IndexOracle.Entry::text)
                .containsExactly("A good document about knives.");
    }
}
