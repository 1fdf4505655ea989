package dev.flinkrag.lucene;

import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorOperation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LuceneIndexStateTest {

    private static final IndexedModel MINILM = new IndexedModel("all-minilm-l6-v2-q", 3);

    @TempDir
    Path dir;

    @Test
    void recordsTheModelAndEachFlushAndRefusesAnotherModel() throws Exception {
        Path path = dir.resolve("index");
        LuceneIndex index = LuceneIndexes.acquire(path);
        try {
            assertThat(index.indexState()).isEmpty();
            index.recordModel(MINILM);
            index.apply(List.of(VectorOperation.upsert("a", "alpha", new float[] {1, 0, 0}, Map.of("doc_id", "d"))),
                    new FlushContext(5_000, 1_000, 4_000));
            index.apply(List.of(VectorOperation.upsert("b", "beta", new float[] {0, 1, 0}, Map.of("doc_id", "d"))),
                    new FlushContext(9_000, 2_000, 3_000));
            assertThat(index.indexState()).contains(new IndexState(MINILM, 9_000, 4_000, 7_000));
            assertThat(index.count()).as("the state is no entry").isEqualTo(2);
            assertThat(index.all()).extracting(StoredEntry::id).containsExactlyInAnyOrder("a", "b");
            index.commit();
            // another writer's model is logged and takes over the record; a server then refuses the old model
            index.recordModel(new IndexedModel("bge-small-en-v1.5-q", 3));
            assertThat(index.indexState().orElseThrow().model()).isEqualTo(new IndexedModel("bge-small-en-v1.5-q", 3));
            index.recordModel(MINILM);
            index.commit();
        } finally {
            LuceneIndexes.release(index);
        }
        try (LuceneEmbeddingStore reader = LuceneEmbeddingStore.openReadOnly(path)) {
            assertThat(reader.indexState()).contains(new IndexState(MINILM, 9_000, 4_000, 7_000));
            assertThat(reader.documents(null, 10)).hasSize(1);
        }
    }

    @Test
    void aFreshStartClearsTheStateSoANewModelIsTaken() throws Exception {
        LuceneIndex index = LuceneIndexes.acquire(dir.resolve("index"));
        try {
            index.recordModel(MINILM);
            index.commit();
            index.clearAndCommit();
            assertThat(index.indexState()).isEmpty();
            index.recordModel(new IndexedModel("other", 3));
            assertThat(index.indexState().orElseThrow().model()).isEqualTo(new IndexedModel("other", 3));
        } finally {
            LuceneIndexes.release(index);
        }
    }
}
