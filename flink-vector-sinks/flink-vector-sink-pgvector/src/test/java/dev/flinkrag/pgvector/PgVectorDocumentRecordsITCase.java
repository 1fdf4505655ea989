package dev.flinkrag.pgvector;

import dev.flinkrag.testing.DocumentRecordsContract;
import dev.flinkrag.testutils.PostgresServer;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PgVectorDocumentRecordsITCase {

    @Test
    void documentMetadataAndPositionsLiveInOneRowPerDocument() throws Exception {
        String url = PostgresServer.get().createDatabase();
        PgVectorOptions options = PgVectorOptions.builder().url(url).username("postgres").table("chunks")
                .dimension(DocumentRecordsContract.dimension()).createTable(true).build();
        try (PgVectorWriter writer = new PgVectorWriter(options);
                PgVectorEmbeddingStore store = PgVectorEmbeddingStore.open(options)) {
            DocumentRecordsContract.check(writer::apply, store);
        }
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT doc_id, metadata ->> 'title', "
                        + "array_length(entry_ids, 1) FROM chunks_documents")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("b");
            assertThat(rows.getString(2)).isEqualTo("Beta");
            assertThat(rows.getInt(3)).isEqualTo(6);
            assertThat(rows.next()).isFalse();
        }
    }
}
