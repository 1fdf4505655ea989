package dev.flinkrag.lucene;

import dev.flinkrag.testing.HybridSearchContract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Hybrid BM25 + vector search with reciprocal rank fusion, and filters applied inside both searches. */
class LuceneHybridSearchTest {

    @TempDir
    Path temp;

    @Test
    void hybridSearchContract() throws Exception {
        LuceneIndex index = LuceneIndexes.acquire(temp);
        try (LuceneEmbeddingStore store = LuceneEmbeddingStore.open(temp)) {
            HybridSearchContract.check(operations -> {
                index.apply(operations);
                index.commit();
            }, store);
        } finally {
            LuceneIndexes.release(index);
        }
    }
}
