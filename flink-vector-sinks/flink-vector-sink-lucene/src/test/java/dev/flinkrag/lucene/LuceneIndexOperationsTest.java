package dev.flinkrag.lucene;

import dev.flinkrag.testing.RandomOperations;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Every operation kind, document retains included, applied by the index as the reference applies them. */
class LuceneIndexOperationsTest {

    @TempDir
    Path temp;

    @RepeatedTest(20)
    void randomFlushesLeaveTheIndexAsApplyingEachOperationInOrder(RepetitionInfo repetition) throws Exception {
        LuceneIndex index = LuceneIndexes.acquire(temp);
        try {
            RandomOperations.checkStore(repetition.getCurrentRepetition(), 80, 4, index::apply, () -> {
                Map<String, String> texts = new HashMap<>();
                for (StoredEntry entry : index.all()) {
                    texts.put(entry.id(), entry.text());
                }
                return texts;
            });
        } finally {
            LuceneIndexes.release(index);
        }
    }
}
