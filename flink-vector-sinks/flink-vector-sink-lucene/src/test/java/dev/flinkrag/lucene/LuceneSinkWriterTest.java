package dev.flinkrag.lucene;

import dev.flinkrag.sink.VectorOperation;

import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneSinkWriterTest {

    @TempDir
    Path temp;

    private LuceneSink<VectorOperation> sink() {
        return LuceneSink.<VectorOperation>builder().indexPath(temp.resolve("index")).converter(op -> op).build();
    }

    private static VectorOperation upsert(String id, String text, float x) {
        return VectorOperation.upsert(id, text, new float[] {x, 1f - x, 0.5f}, Map.of("n", 1));
    }

    private Map<String, String> contents() throws IOException {
        LuceneIndex index = LuceneIndexes.acquire(temp.resolve("index"));
        try {
            Map<String, String> contents = new TreeMap<>();
            for (StoredEntry entry : index.all()) {
                contents.put(entry.id(), entry.text());
            }
            return contents;
        } finally {
            LuceneIndexes.release(index);
        }
    }

    @Test
    void flushedChangesAreSearchableBeforeAnyCommit() throws Exception {
        var writer = sink().createWriter(TestWriterContext.fresh());
        writer.write(upsert("a", "alpha", 0.1f), null);
        assertThat(contents()).isEmpty();
        writer.flush(false);
        assertThat(contents()).containsExactly(Map.entry("a", "alpha"));
        writer.close();
    }

    /**
     * After a failure the index must hold exactly what it held at the restored checkpoint: an entry
     * inserted after it would otherwise stay as an orphan, and an entry deleted after it would be missing
     * if the replayed input no longer deletes it.
     */
    @Test
    void restoreRollsTheIndexBackToTheCheckpointedCommit() throws Exception {
        LuceneSink<VectorOperation> sink = sink();
        var writer = (StatefulSinkWriter<VectorOperation, LuceneCommitPoint>) sink.createWriter(TestWriterContext.fresh());
        writer.write(upsert("a", "alpha", 0.1f), null);
        writer.write(upsert("b", "beta", 0.2f), null);
        ((LuceneSinkWriter<VectorOperation>) writer).prepareCommit();
        List<LuceneCommitPoint> checkpoint = writer.snapshotState(1);

        writer.write(upsert("c", "orphan", 0.3f), null);
        writer.write(VectorOperation.delete("a"), null);
        writer.flush(false);
        assertThat(contents()).containsOnlyKeys("b", "c");
        writer.close(); // the task fails: the index closes with changes no checkpoint covers

        var restored = sink.restoreWriter(TestWriterContext.restored(1), checkpoint);
        assertThat(contents()).isEqualTo(Map.of("a", "alpha", "b", "beta"));
        restored.close();

        // a later checkpoint whose completion was never confirmed is rolled back too
        writer = (StatefulSinkWriter<VectorOperation, LuceneCommitPoint>) sink.restoreWriter(
                TestWriterContext.restored(1), checkpoint);
        writer.write(upsert("e", "epsilon", 0.5f), null);
        ((LuceneSinkWriter<VectorOperation>) writer).prepareCommit();
        writer.close();
        restored = sink.restoreWriter(TestWriterContext.restored(1), checkpoint);
        assertThat(contents()).isEqualTo(Map.of("a", "alpha", "b", "beta"));
        restored.write(upsert("d", "delta", 0.4f), null);
        restored.flush(false);
        assertThat(contents()).containsOnlyKeys("a", "b", "d");
        restored.close();
    }

    /**
     * Flink interrupts the thread of a cancelled task; an interrupt during Lucene's file I/O closes its
     * channels and breaks the writer. The next attempt shares the index in this JVM and must not inherit
     * that writer, and closing the broken attempt must not throw (Flink would kill the TaskManager).
     */
    @Test
    void aNewAttemptRecoversFromAWriterBrokenByAnInterrupt() throws Exception {
        LuceneSink<VectorOperation> sink = sink();
        var first = (LuceneSinkWriter<VectorOperation>) sink.createWriter(TestWriterContext.fresh());
        first.write(upsert("a", "alpha", 0.1f), null);
        first.prepareCommit();
        List<LuceneCommitPoint> checkpoint = first.snapshotState(1);
        first.write(upsert("b", "beta", 0.2f), null);
        first.flush(false);
        Thread.currentThread().interrupt();
        try {
            first.prepareCommit(); // the lock check reads the lock file's channel, which the interrupt closes
        } catch (Exception expected) {
            // the interrupted commit fails
        } finally {
            Thread.interrupted();
        }

        var second = sink.restoreWriter(TestWriterContext.restored(1), checkpoint);
        first.close();
        assertThat(contents()).isEqualTo(Map.of("a", "alpha"));
        second.write(upsert("c", "gamma", 0.3f), null);
        second.flush(false);
        assertThat(contents()).isEqualTo(Map.of("a", "alpha", "c", "gamma"));
        second.close();
    }

    @Test
    void aJobStartingWithoutStateStartsFromAnEmptyIndex() throws Exception {
        var first = sink().createWriter(TestWriterContext.fresh());
        first.write(upsert("stale", "from an old job", 0.1f), null);
        first.flush(false);
        ((LuceneSinkWriter<VectorOperation>) first).prepareCommit();
        first.close();

        var second = sink().createWriter(TestWriterContext.fresh());
        assertThat(contents()).isEmpty();
        second.close();
    }

    @Test
    void metadataOnlyUpdatesKeepTheStoredVector() throws Exception {
        var writer = sink().createWriter(TestWriterContext.fresh());
        writer.write(upsert("a", "alpha", 0.1f), null);
        writer.flush(false);
        writer.write(VectorOperation.updateMetadata("a", "alpha", Map.of("n", 2, "title", "t")), null);
        writer.flush(false);
        LuceneIndex index = LuceneIndexes.acquire(temp.resolve("index"));
        StoredEntry entry = index.get("a");
        LuceneIndexes.release(index);
        assertThat(entry.vector()).containsExactly(0.1f, 0.9f, 0.5f);
        assertThat(entry.metadata()).isEqualTo(Map.of("n", 2, "title", "t"));
        writer.close();
    }

    /** The insert of a chunk whose text the model refused never arrives; its later metadata updates are no-ops. */
    @Test
    void metadataUpdateOfAMissingEntryIsSkipped() throws Exception {
        var writer = sink().createWriter(TestWriterContext.fresh());
        writer.write(upsert("a", "alpha", 0.1f), null);
        writer.write(VectorOperation.updateMetadata("ghost", "x", Map.of()), null);
        writer.flush(false);
        assertThat(contents()).containsOnlyKeys("a");
        writer.close();
    }

    @Test
    void aReadOnlyStoreSeesWhatTheWriterCommittedWithoutItsLock() throws Exception {
        var writer = sink().createWriter(TestWriterContext.fresh());
        writer.write(upsert("a", "alpha", 0.1f), null);
        ((LuceneSinkWriter<VectorOperation>) writer).prepareCommit();
        writer.write(upsert("b", "beta", 0.2f), null);
        writer.flush(false); // searchable in the writer's JVM, not yet committed

        try (LuceneEmbeddingStore reader = LuceneEmbeddingStore.openReadOnly(temp.resolve("index"))) {
            assertThat(reader.count()).isEqualTo(1);
            ((LuceneSinkWriter<VectorOperation>) writer).prepareCommit();
            assertThat(reader.count()).isEqualTo(2);
            assertThatThrownBy(() -> reader.removeAll(List.of("a")))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("read-only");
        }
        writer.close();
    }

    @Test
    void parallelismAboveOneIsRefusedWithAHint() {
        assertThatThrownBy(() -> sink().createWriter(new TestWriterContext(2, OptionalLong.empty())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setParallelism(1)");
    }
}
