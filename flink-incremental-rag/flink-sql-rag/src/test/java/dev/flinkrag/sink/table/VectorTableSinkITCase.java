package dev.flinkrag.sink.table;

import dev.flinkrag.lucene.LuceneIndex;
import dev.flinkrag.lucene.LuceneIndexes;
import dev.flinkrag.lucene.StoredEntry;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL face: a changelog (inserts, updates with before-images, deletes) written through the connectors. */
class VectorTableSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final String COLUMNS = "id STRING, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, `ordinal` INT";

    @TempDir
    Path temp;

    private StreamTableEnvironment tables;

    @BeforeEach
    void environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        tables = StreamTableEnvironment.create(env);
        TypeInformation<Row> rowType = Types.ROW_NAMED(new String[] {"id", "text", "embedding", "doc_id", "ordinal"},
                Types.STRING, Types.STRING, Types.OBJECT_ARRAY(Types.FLOAT), Types.STRING, Types.INT);
        var changes = env.fromData(rowType,
                Row.ofKind(RowKind.INSERT, "a", "alpha", new Float[] {1f, 0f, 0f}, "doc-1", 0),
                Row.ofKind(RowKind.INSERT, "b", "beta", new Float[] {0f, 1f, 0f}, "doc-1", 1),
                Row.ofKind(RowKind.INSERT, "c", "gamma", new Float[] {0f, 0f, 1f}, "doc-2", 0),
                Row.ofKind(RowKind.UPDATE_BEFORE, "a", "alpha", new Float[] {1f, 0f, 0f}, "doc-1", 0),
                Row.ofKind(RowKind.UPDATE_AFTER, "a", "alpha two", new Float[] {0.5f, 0.5f, 0f}, "doc-1", 0),
                Row.ofKind(RowKind.DELETE, "b", "beta", new Float[] {0f, 1f, 0f}, "doc-1", 1),
                // a NULL vector: text and metadata change, the stored vector stays
                Row.ofKind(RowKind.UPDATE_BEFORE, "c", "gamma", new Float[] {0f, 0f, 1f}, "doc-2", 0),
                Row.ofKind(RowKind.UPDATE_AFTER, "c", "gamma", null, "doc-2", 5)).setParallelism(1);
        tables.createTemporaryView("changes", tables.fromChangelogStream(changes,
                Schema.newBuilder().column("id", "STRING NOT NULL").column("text", "STRING")
                        .column("embedding", "ARRAY<FLOAT>").column("doc_id", "STRING").column("ordinal", "INT")
                        .primaryKey("id").build(),
                ChangelogMode.all()));
    }

    @Test
    void aChangelogEndsInPgVectorAsItsFinalRows() throws Exception {
        String url = PostgresServer.get().createDatabase();
        tables.executeSql("CREATE TABLE chunks (" + COLUMNS + ", PRIMARY KEY (id) NOT ENFORCED) WITH ("
                + "'connector' = 'pgvector', 'url' = '" + url + "', 'username' = 'postgres', 'table-name' = 'chunks',"
                + "'dimension' = '3', 'create-table' = 'true', 'sink.buffer-flush.interval' = '50 ms')");
        tables.executeSql("INSERT INTO chunks SELECT * FROM changes").await();

        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT id, text, metadata::text, embedding::text FROM chunks")) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2) + " | " + result.getString(3) + " | "
                        + result.getString(4));
            }
        }
        assertThat(rows).containsExactly(
                Map.entry("a", "alpha two | {\"doc_id\": \"doc-1\", \"ordinal\": 0} | [0.5,0.5,0]"),
                Map.entry("c", "gamma | {\"doc_id\": \"doc-2\", \"ordinal\": 5} | [0,0,1]"));
    }

    @Test
    void aChangelogEndsInLuceneAsItsFinalRows() throws Exception {
        Path index = temp.resolve("index");
        tables.executeSql("CREATE TABLE chunks (" + COLUMNS + ", PRIMARY KEY (id) NOT ENFORCED) WITH ("
                + "'connector' = 'lucene', 'path' = '" + index + "')");
        tables.executeSql("INSERT INTO chunks SELECT * FROM changes").await();

        LuceneIndex lucene = LuceneIndexes.acquire(index);
        try {
            Map<String, String> rows = new TreeMap<>();
            for (StoredEntry entry : lucene.all()) {
                rows.put(entry.id(), entry.text() + " | " + new TreeMap<>(entry.metadata()) + " | "
                        + java.util.Arrays.toString(entry.vector()));
            }
            assertThat(rows).containsExactly(
                    Map.entry("a", "alpha two | {doc_id=doc-1, ordinal=0} | [0.5, 0.5, 0.0]"),
                    Map.entry("c", "gamma | {doc_id=doc-2, ordinal=5} | [0.0, 0.0, 1.0]"));
        } finally {
            LuceneIndexes.release(lucene);
        }
    }

    @Test
    void tablesAndOptionsAreValidatedNamingTheColumnOrOption() {
        String pg = "'connector' = 'pgvector', 'url' = 'jdbc:postgresql://127.0.0.1:1/x', 'username' = 'u', "
                + "'dimension' = '3', ";
        List.of(
                new String[] {"CREATE TABLE t1 (" + COLUMNS + ") WITH (" + pg + "'table-name' = 't')", "PRIMARY KEY"},
                new String[] {"CREATE TABLE t2 (id STRING, text STRING, embedding ARRAY<STRING>, PRIMARY KEY (id) NOT "
                        + "ENFORCED) WITH (" + pg + "'table-name' = 't')", "must be ARRAY<FLOAT> or ARRAY<DOUBLE>"},
                new String[] {"CREATE TABLE t3 (" + COLUMNS + ", PRIMARY KEY (id) NOT ENFORCED) WITH (" + pg
                        + "'table-name' = 'x; DROP TABLE y')", "option 'table-name'"},
                new String[] {"CREATE TABLE t4 (" + COLUMNS + ", PRIMARY KEY (id) NOT ENFORCED) WITH (" + pg
                        + "'table-name' = 't', 'hnsw.mm' = '3')", "hnsw.mm"},
                new String[] {"CREATE TABLE t5 (" + COLUMNS + ", tags ARRAY<STRING>, PRIMARY KEY (id) NOT ENFORCED) "
                        + "WITH (" + pg + "'table-name' = 't')", "metadata column 'tags'"},
                new String[] {"CREATE TABLE t6 (" + COLUMNS + ", PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'lucene')", "path"})
                .forEach(statement -> {
                    tables.executeSql(statement[0]);
                    String table = statement[0].substring("CREATE TABLE ".length(), statement[0].indexOf(' ', 13));
                    assertThatThrownBy(() -> tables.executeSql("INSERT INTO " + table + " SELECT * FROM changes"))
                            .as(statement[0])
                            .satisfies(error -> {
                                StringBuilder all = new StringBuilder();
                                for (Throwable t = error; t != null; t = t.getCause()) {
                                    all.append(t.getMessage()).append('\n');
                                }
                                assertThat(all.toString()).contains(statement[1]);
                            });
                });
    }
}
