package dev.flinkrag.e2e;

import dev.flinkrag.sink.pgvector.PostgresServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code PostgresToPgVector} example submitted with {@code flink run} to a real session cluster, reading a
 * documents table of a real PostgreSQL through logical replication: the table's rows are indexed, then an edit,
 * a delete and an insert reach the chunks table while the job runs, and the slot confirms checkpointed positions.
 */
class PostgresToPgVectorOnClusterIT {

    private static final Path JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @TempDir
    Path temp;

    @Test
    void aDocumentsTableIsFollowedIntoPgVector() throws Exception {
        String url = PostgresServer.get().createDatabase();
        execute(url, "CREATE TABLE documents (id text PRIMARY KEY, body text, title text)");
        for (String name : new String[] {"kitchen/coffee-extraction.md", "science/sleep.md", "home/composting.md"}) {
            execute(url, "INSERT INTO documents VALUES (?, ?, ?)", name, Files.readString(SAMPLES.resolve(name)),
                    "Sample " + name);
        }
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(Files.createDirectories(temp.resolve("flink")))) {
            String submitted = cluster.submitMainClass(JAR, "dev.flinkrag.examples.PostgresToPgVector",
                    "--source-url", url, "--source-user", "postgres", "--source-table", "documents",
                    "--slot", "e2e_documents", "--jdbc-url", url, "--user", "postgres", "--table", "chunks",
                    "--checkpoint-interval-ms", "1000");
            assertThat(submitted).contains("Job has been submitted with JobID");
            await(cluster, url, () -> indexedDocuments(url).keySet().equals(tableDocuments(url)));
            long slotBefore = confirmedPosition(url);

            execute(url, "UPDATE documents SET body = body || ? WHERE id = ?",
                    "\n\nA pinch of salt in the grounds tames bitterness in a pinch.\n", "kitchen/coffee-extraction.md");
            execute(url, "DELETE FROM documents WHERE id = ?", "science/sleep.md");
            execute(url, "INSERT INTO documents VALUES (?, ?, ?)", "notes/new.md",
                    "Worm bins turn kitchen scraps into castings on a balcony.", "New note");
            await(cluster, url, () -> indexedDocuments(url).keySet().equals(tableDocuments(url))
                    && chunkCount(url, "%pinch of salt%") == 1 && chunkCount(url, "Worm bins%") == 1);
            await(cluster, url, () -> confirmedPosition(url) > slotBefore);
            assertThat(indexedDocuments(url)).containsOnlyKeys("home/composting.md", "kitchen/coffee-extraction.md",
                    "notes/new.md");
            assertThat(cluster.get("/jobs/overview")).contains("\"state\":\"RUNNING\"");
        }
    }

    /** Document id to its number of chunks in the pgvector table (none before the sink created it). */
    private static Map<String, Integer> indexedDocuments(String url) throws SQLException {
        if (counts(url, "SELECT 'chunks', 1 WHERE to_regclass('chunks') IS NOT NULL").isEmpty()) {
            return Map.of();
        }
        return counts(url, "SELECT metadata->>'doc_id', count(*) FROM chunks GROUP BY 1");
    }

    private static Set<String> tableDocuments(String url) throws SQLException {
        return counts(url, "SELECT id, 1 FROM documents").keySet();
    }

    private static Map<String, Integer> counts(String url, String query) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(query)) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }

    private static int chunkCount(String url, String textPattern) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM chunks WHERE text LIKE ?")) {
            statement.setString(1, textPattern);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static long confirmedPosition(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT (confirmed_flush_lsn - '0/0')::bigint FROM "
                        + "pg_replication_slots WHERE slot_name = 'e2e_documents'")) {
            return rows.next() ? rows.getLong(1) : -1;
        }
    }

    private static void execute(String url, String sql, String... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    private static void await(FlinkSessionCluster cluster, String url, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the index did not catch up with the documents table; chunks per document: "
                + indexedDocuments(url) + ", rows " + tableDocuments(url) + "\n" + cluster.logs());
    }
}
