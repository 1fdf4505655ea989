package dev.flinkrag.e2e;

import dev.flinkrag.testutils.PostgresServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code PostgresToPgVector} example submitted with {@code flink run} to a real session cluster, reading a
 * documents table of a real PostgreSQL through logical replication: the table's rows are indexed, then an edit,
 * a delete and an insert reach the chunks table while the job runs, and the slot confirms checkpointed positions.
 */
class PostgresToPgVectorOnClusterIT {

    private static final Path JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));

    @TempDir
    Path temp;

    @Test
    void aDocumentsTableIsFollowedIntoPgVector() throws Exception {
        ChunksTable database = new ChunksTable(PostgresServer.get().createDatabase());
        String url = database.url();
        database.execute("CREATE TABLE documents (id text PRIMARY KEY, body text, title text)");
        for (String name : new String[] {"kitchen/coffee-extraction.md", "science/sleep.md", "home/composting.md"}) {
            database.execute("INSERT INTO documents VALUES (?, ?, ?)", name, Files.readString(SAMPLES.resolve(name)),
                    "Sample " + name);
        }
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(Files.createDirectories(temp.resolve("flink")))) {
            String submitted = cluster.submitMainClass(JAR, "dev.flinkrag.examples.PostgresToPgVector",
                    "--source-url", url, "--source-user", "postgres", "--source-table", "documents", "--text-column", "body",
                    "--slot", "e2e_documents", "--jdbc-url", url, "--user", "postgres", "--table", "chunks",
                    "--checkpoint-interval-ms", "1000");
            assertThat(submitted).contains("Job has been submitted with JobID");
            database.await(cluster, () -> database.chunksPerDocument().keySet().equals(rows(database)),
                    () -> "the rows " + rows(database));
            long slotBefore = confirmedPosition(database);

            database.execute("UPDATE documents SET body = body || ? WHERE id = ?",
                    "\n\nA pinch of salt in the grounds tames bitterness in a pinch.\n",
                    "kitchen/coffee-extraction.md");
            database.execute("DELETE FROM documents WHERE id = ?", "science/sleep.md");
            database.execute("INSERT INTO documents VALUES (?, ?, ?)", "notes/new.md",
                    "Worm bins turn kitchen scraps into castings on a balcony.", "New note");
            database.await(cluster, () -> database.chunksPerDocument().keySet().equals(rows(database))
                    && database.chunksWithTextLike("%pinch of salt%") == 1
                    && database.chunksWithTextLike("Worm bins%") == 1, () -> "the rows " + rows(database));
            database.await(cluster, () -> confirmedPosition(database) > slotBefore,
                    () -> "the slot confirmed past " + slotBefore);
            assertThat(database.chunksPerDocument()).containsOnlyKeys("home/composting.md",
                    "kitchen/coffee-extraction.md", "notes/new.md");
            assertThat(cluster.get("/jobs/overview")).contains("\"state\":\"RUNNING\"");
        }
    }

    private static Set<String> rows(ChunksTable database) throws SQLException {
        return database.rows("SELECT id, 1 FROM documents").keySet();
    }

    private static long confirmedPosition(ChunksTable database) throws SQLException {
        return database.rows("SELECT 'position', (confirmed_flush_lsn - '0/0')::bigint FROM "
                + "pg_replication_slots WHERE slot_name = 'e2e_documents'").getOrDefault("position", -1L);
    }
}
