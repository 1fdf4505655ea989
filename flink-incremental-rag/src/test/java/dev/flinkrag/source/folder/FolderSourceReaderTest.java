package dev.flinkrag.source.folder;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FolderSourceReaderTest {

    @TempDir
    java.nio.file.Path folder;

    /** Readers pull changes in batches: one request at start, the next once few are left, none while one is open. */
    @Test
    void asksForChangesAtStartAndWhenFewAreLeft() throws Exception {
        TestingReaderContext context = new TestingReaderContext();
        FolderSourceReader reader = new FolderSourceReader(context, new Path(folder.toUri()), 1_000);
        reader.start();
        assertThat(context.getNumSplitRequests()).isEqualTo(1);

        List<FileChange> batch = new ArrayList<>();
        for (int i = 0; i < FolderEnumerator.BATCH; i++) {
            batch.add(new FileChange("gone-" + i + ".md", i + 1, true, 0));
        }
        reader.addSplits(List.of(FileChangeSplit.of(batch)));
        TestingReaderOutput<DocumentChange> output = new TestingReaderOutput<>();
        int polls = 0;
        while (context.getNumSplitRequests() == 1) {
            reader.pollNext(output);
            polls++;
        }
        assertThat(polls).as("asks again once fewer than a quarter of a batch are left")
                .isEqualTo(FolderEnumerator.BATCH - FolderEnumerator.BATCH / 4 + 1);
        reader.pollNext(output);
        assertThat(context.getNumSplitRequests()).as("no second request while one is open").isEqualTo(2);
    }

    /**
     * A split's output is released once all its files are emitted. Failed before: Flink kept an output and metrics
     * for every split ever read (355 MB of heap after 100,000 files in FolderScanBenchmark).
     */
    @Test
    void releasesASplitOnceAllItsFilesAreEmitted() throws Exception {
        Files.writeString(folder.resolve("a.md"), "Text of a.");
        FolderSourceReader reader = new FolderSourceReader(new TestingReaderContext(), new Path(folder.toUri()), 1_000);
        List<String> released = new ArrayList<>();
        TestingReaderOutput<DocumentChange> output = new TestingReaderOutput<>() {
            @Override
            public void releaseOutputForSplit(String splitId) {
                released.add(splitId);
            }
        };
        reader.start();
        FileChangeSplit split = FileChangeSplit.of(List.of(new FileChange("a.md", 1, false, 0),
                new FileChange("b.md", 2, true, 0)));
        reader.addSplits(List.of(split));
        reader.pollNext(output);
        assertThat(released).isEmpty();
        reader.pollNext(output);

        assertThat(output.getEmittedRecords()).extracting(DocumentChange::docId).containsExactly("a.md", "b.md");
        assertThat(released).containsExactly(split.splitId());
    }

    /** A checkpoint in the middle of a split keeps only its unread changes, under the same split id. */
    @Test
    void aCheckpointInsideASplitKeepsItsUnreadChanges() throws Exception {
        FolderSourceReader reader = new FolderSourceReader(new TestingReaderContext(), new Path(folder.toUri()), 1_000);
        FileChange first = new FileChange("a.md", 1, true, 0);
        FileChange second = new FileChange("b.md", 2, true, 0);
        FileChange third = new FileChange("c.md", 3, true, 0);
        FileChangeSplit split = FileChangeSplit.of(List.of(first, second));
        FileChangeSplit next = FileChangeSplit.of(List.of(third));
        reader.addSplits(List.of(split, next));
        reader.pollNext(new TestingReaderOutput<>());

        assertThat(reader.snapshotState(1)).containsExactly(
                new FileChangeSplit(split.splitId(), List.of(second)), next);
    }
}
