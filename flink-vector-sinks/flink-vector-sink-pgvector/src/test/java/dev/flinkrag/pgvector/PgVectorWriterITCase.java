package dev.flinkrag.pgvector;

import dev.flinkrag.common.Secret;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.testing.RandomOperations;
import dev.flinkrag.testutils.PostgresServer;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer against a real PostgreSQL with pgvector. */
class PgVectorWriterITCase {

    private String url;

    @BeforeEach
    void database() {
        url = PostgresServer.get().createDatabase();
    }

    private PgVectorOptions options(String table, int dimension, boolean create) {
        return PgVectorOptions.builder().url(url).username("postgres").password(Secret.of("secret-password"))
                .table(table).dimension(dimension).createTable(create).maxMetadataBytes(1024).build();
    }

    @Test
    void createsTheTableAndAppliesUpsertsMetadataUpdatesAndDeletes() throws Exception {
        try (PgVectorWriter writer = new PgVectorWriter(options("chunks", 3, true))) {
            writer.apply(List.of(
                    VectorOperation.upsert("a", "alpha", new float[] {0.1f, 0.2f, 0.3f}, Map.of("n", 1)),
                    VectorOperation.upsert("b", "beta", new float[] {1f, 2f, 3f}, Map.of("title", "B"))));
            int skipped = writer.apply(List.of(
                    VectorOperation.updateMetadata("a", "alpha", Map.of("n", 2)),
                    VectorOperation.updateMetadata("ghost", "x", Map.of()),
                    VectorOperation.delete("b")));
            assertThat(skipped).as("metadata update of a missing row").isEqualTo(1);
        }
        assertThat(PgVectorTables.read(url, "chunks")).containsExactly(
                Map.entry("a", new PgVectorTables.Row("alpha", "{\"n\": 2}", "[0.1,0.2,0.3]")));
        assertThat(indexes("chunks")).anySatisfy(index -> assertThat(index).contains("USING hnsw")
                .contains("vector_cosine_ops").contains("m='16'").contains("ef_construction='64'"));
    }

    @RepeatedTest(10)
    void randomFlushesLeaveTheTableAsApplyingEachOperationInOrder(RepetitionInfo repetition) throws Exception {
        try (PgVectorWriter writer = new PgVectorWriter(options("random", 4, true))) {
            RandomOperations.checkStore(repetition.getCurrentRepetition(), 80, 4, writer::apply, () -> {
                Map<String, String> texts = new HashMap<>();
                PgVectorTables.read(url, "random").forEach((id, row) -> texts.put(id, row.text()));
                return texts;
            });
        }
    }

    @Test
    void theDocumentFieldIsIndexedAndRetainsUseTheIndex() throws Exception {
        String retain;
        try (PgVectorWriter writer = new PgVectorWriter(options("docs", 3, true))) {
            retain = writer.retainSql("doc_id").replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2");
        }
        assertThat(indexes("docs")).anySatisfy(index -> assertThat(index).contains("((metadata ->> 'doc_id'::text))"));
        try (var connection = java.sql.DriverManager.getConnection(url, "postgres", "");
                var statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off"); // a tiny table is scanned otherwise
            statement.execute("PREPARE retain (text, text[]) AS " + retain);
            StringBuilder plan = new StringBuilder();
            try (var rows = statement.executeQuery("EXPLAIN EXECUTE retain ('d', ARRAY['x'])")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("docs_doc_id");
        }
    }

    @Test
    void anExistingTableWithAnotherDimensionIsRefusedBeforeTheFirstWrite() throws Exception {
        PgVectorTables.execute(url, "CREATE TABLE docs (id text PRIMARY KEY, text text, metadata jsonb, "
                + "embedding vector(384))");
        assertThatThrownBy(() -> new PgVectorWriter(options("docs", 768, false)))
                .hasMessageContaining("column embedding of table docs is vector(384), expected vector(768)");
        assertThatThrownBy(() -> new PgVectorWriter(options("missing", 3, false)))
                .hasMessageContaining("table missing does not exist").hasMessageContaining("create-table");
        PgVectorTables.execute(url, "CREATE TABLE nokey (id text, text text, metadata jsonb, embedding vector(3))");
        assertThatThrownBy(() -> new PgVectorWriter(options("nokey", 3, false)))
                .hasMessageContaining("must be the primary key");
    }

    @Test
    void namesThatAreNotPlainIdentifiersAreRefused() {
        assertThatThrownBy(() -> options("x; DROP TABLE y", 3, true))
                .hasMessageContaining("PgVectorOptions.builder().table(…)").hasMessageContaining("x; DROP TABLE y");
        assertThatThrownBy(() -> PgVectorOptions.builder().url(url).username("postgres").table("t").dimension(3)
                .columns("id\"", "text", "metadata", "embedding").build())
                .hasMessageContaining("PgVectorOptions.builder().columns(…)").hasMessageContaining("id\"");
        assertThatThrownBy(() -> PgVectorOptions.fromConfiguration(Configuration.fromMap(Map.of("url", url,
                "username", "postgres", "table-name", "t", "dimension", "3", "hnsw.m", "1"))))
                .hasMessage("option 'hnsw.m' must be between 2 and 100, was '1'");
        assertThat(options("public.chunks", 3, true).table()).isEqualTo("public.chunks");
    }

    @Test
    void badVectorsAndOversizedMetadataFailNamingTheIdAndNothingOfTheFlushIsApplied() throws Exception {
        try (PgVectorWriter writer = new PgVectorWriter(options("chunks", 3, true))) {
            VectorOperation good = VectorOperation.upsert("good", "fine", new float[] {1f, 2f, 3f}, Map.of());
            assertThatThrownBy(() -> writer.apply(List.of(good,
                    VectorOperation.upsert("short", "x", new float[] {1f, 2f}, Map.of()))))
                    .hasMessageContaining("id short").hasMessageContaining("2 dimensions");
            assertThatThrownBy(() -> writer.apply(List.of(good,
                    VectorOperation.upsert("nan", "x", new float[] {1f, Float.NaN, 3f}, Map.of()))))
                    .hasMessageContaining("id nan").hasMessageContaining("non-finite");
            assertThatThrownBy(() -> writer.apply(List.of(good,
                    VectorOperation.upsert("big", "x", new float[] {1f, 2f, 3f}, Map.of("blob", "x".repeat(2000))))))
                    .hasMessageContaining("id big").hasMessageContaining("metadata.max-bytes");
        }
        assertThat(PgVectorTables.read(url, "chunks")).isEmpty();
    }

    @Test
    void aLostConnectionIsReopenedOnTheNextFlush() throws Exception {
        try (PgVectorWriter writer = new PgVectorWriter(options("chunks", 3, true))) {
            writer.apply(List.of(VectorOperation.upsert("a", "alpha", new float[] {1f, 2f, 3f}, Map.of())));
            PgVectorTables.execute(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'flink-rag pgvector sink'");
            writer.apply(List.of(VectorOperation.upsert("b", "beta", new float[] {1f, 2f, 3f}, Map.of())));
        }
        assertThat(PgVectorTables.read(url, "chunks")).containsOnlyKeys("a", "b");
    }

    @Test
    void thePasswordNeverAppearsInTheOptions() {
        assertThat(options("chunks", 3, true).toString()).doesNotContain("secret-password").contains("password=<set>");
    }

    private List<String> indexes(String table) throws SQLException {
        List<String> definitions = new java.util.ArrayList<>();
        try (var connection = java.sql.DriverManager.getConnection(url, "postgres", "");
                var statement = connection.prepareStatement("SELECT indexdef FROM pg_indexes WHERE tablename = ?")) {
            statement.setString(1, table);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    definitions.add(rows.getString(1));
                }
            }
        }
        return definitions;
    }
}
