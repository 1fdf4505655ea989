package dev.flinkrag.pgvector;

import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.testutils.PostgresServer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PgVectorIndexStateITCase {

    private static final IndexedModel MINILM = new IndexedModel("all-minilm-l6-v2-q", 3);

    private static PgVectorOptions options(String url, boolean createTable) {
        return PgVectorOptions.builder().url(url).username("postgres").table("chunks").dimension(3)
                .createTable(createTable).build();
    }

    @Test
    void writersRecordTheModelAndTheirFlushesAndAnotherModelIsRefused() throws Exception {
        PgVectorOptions options = options(PostgresServer.get().createDatabase(), true);
        try (PgVectorWriter first = new PgVectorWriter(options, MINILM, 0);
                PgVectorWriter second = new PgVectorWriter(options, MINILM, 1);
                PgVectorEmbeddingStore store = PgVectorEmbeddingStore.open(options)) {
            first.apply(List.of(VectorOperation.upsert("a", "alpha", new float[] {1, 0, 0}, Map.of())),
                    new FlushContext(5_000, 1_000, 4_000));
            second.apply(List.of(VectorOperation.upsert("b", "beta", new float[] {0, 1, 0}, Map.of())),
                    new FlushContext(9_000, 2_000, 3_000));
            assertThat(store.indexState()).contains(new IndexState(MINILM, 9_000, 4_000, 7_000));
            // a write through the EmbeddingStore API records nothing
            store.add(new dev.langchain4j.data.embedding.Embedding(new float[] {0, 0, 1}));
            assertThat(store.indexState()).contains(new IndexState(MINILM, 9_000, 4_000, 7_000));
        }
        new PgVectorWriter(options, new IndexedModel("bge-small-en-v1.5-q", 3), 2).close(); // logged, not refused
    }

    @Test
    void withoutCreateTableAMissingStateTableIsSkipped() throws Exception {
        String url = PostgresServer.get().createDatabase();
        PgVectorEmbeddingStore.open(options(url, true)).close();
        try (PgVectorWriter writer = new PgVectorWriter(options(url, false), MINILM, 0);
                PgVectorEmbeddingStore store = PgVectorEmbeddingStore.open(options(url, false))) {
            writer.apply(List.of(VectorOperation.upsert("a", "alpha", new float[] {1, 0, 0}, Map.of())),
                    new FlushContext(5_000, 1_000, 4_000));
            assertThat(store.indexState()).isEmpty();
            assertThat(store.statistics(null, "modified_at").documents()).isZero();
        }
    }
}
