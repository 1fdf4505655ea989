package dev.flinkrag.pgvector;

import dev.flinkrag.testing.HybridSearchContract;
import dev.flinkrag.testutils.PostgresServer;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL full-text search fused with the vector ranking, on a table with and without the text index. */
class PgVectorHybridSearchITCase {

    @Test
    void hybridSearchContractWithTheTextIndex() throws Exception {
        String url = PostgresServer.get().createDatabase();
        PgVectorOptions options = PgVectorOptions.builder().url(url).username("postgres").table("parts")
                .dimension(4).createTable(true).build();
        try (PgVectorWriter writer = new PgVectorWriter(options);
                PgVectorEmbeddingStore store = PgVectorEmbeddingStore.open(options)) {
            HybridSearchContract.check(writer::apply, store);
        }
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            try (ResultSet plan = statement.executeQuery("EXPLAIN SELECT id FROM parts WHERE to_tsvector('simple'::"
                    + "regconfig, coalesce(text, '')) @@ 'xk4471'::tsquery")) {
                StringBuilder text = new StringBuilder();
                while (plan.next()) {
                    text.append(plan.getString(1)).append('\n');
                }
                assertThat(text).as("the text search uses the GIN index").contains("parts_text_fts");
            }
        }
    }

    @Test
    void hybridSearchContractWithoutTheTextIndex() throws Exception {
        String url = PostgresServer.get().createDatabase();
        PgVectorOptions options = PgVectorOptions.builder().url(url).username("postgres").table("parts")
                .dimension(4).createTable(true).textIndex(false).build();
        try (PgVectorWriter writer = new PgVectorWriter(options);
                PgVectorEmbeddingStore store = PgVectorEmbeddingStore.open(options)) {
            HybridSearchContract.check(writer::apply, store);
        }
    }
}
