package dev.flinkrag.lucene;

import dev.flinkrag.testing.DocumentRecordsContract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LuceneDocumentRecordsTest {

    @Test
    void documentMetadataAndPositionsLiveInOneRecordPerDocument(@TempDir Path directory) throws Exception {
        try (LuceneEmbeddingStore store = LuceneEmbeddingStore.open(directory)) {
            LuceneIndex index = LuceneIndexes.acquire(directory);
            try {
                DocumentRecordsContract.check(index::apply, store);
                assertThat(index.count()).as("records are not entries").isEqualTo(6);
            } finally {
                LuceneIndexes.release(index);
            }
        }
    }
}
