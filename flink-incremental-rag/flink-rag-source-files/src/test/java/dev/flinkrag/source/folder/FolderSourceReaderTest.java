package dev.flinkrag.source.folder;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class FolderSourceReaderTest {

    @TempDir
    java.nio.file.Path folder;

    /** Readers pull changes in batches: one request at start, the next once few are left, none while one is open. */
    @Test
    void asksForChangesAtStartAndWhenFewAreLeft() throws Exception {
        TestingReaderContext context = new TestingReaderContext();
        FolderSourceReader reader = new FolderSourceReader(context, new Path(folder.toUri()), 1_000, true);
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
        FolderSourceReader reader = newReader(true);
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
        FolderSourceReader reader = newReader(true);
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

    /**
     * Without the modification time in the metadata, each batch's content hashes go back to the enumerator once the
     * batch is read; deletes have none. With it, no hash is taken: every change is news anyway.
     */
    @Test
    void reportsTheContentHashOfEachFileReadOnceItsBatchIsDone() throws Exception {
        Files.writeString(folder.resolve("a.md"), "Text of a.");
        TestingReaderContext withTime = new TestingReaderContext();
        FolderSourceReader timed = new FolderSourceReader(withTime, new Path(folder.toUri()), 1_000, true);
        timed.addSplits(List.of(FileChangeSplit.of(List.of(new FileChange("a.md", 4, false, 0)))));
        timed.pollNext(new TestingReaderOutput<>());
        assertThat(withTime.getSentEvents()).isEmpty();

        TestingReaderContext context = new TestingReaderContext();
        FolderSourceReader reader = new FolderSourceReader(context, new Path(folder.toUri()), 1_000, false);
        reader.addSplits(List.of(FileChangeSplit.of(List.of(new FileChange("a.md", 4, false, 0),
                new FileChange("b.md", 5, true, 0)))));
        TestingReaderOutput<DocumentChange> output = new TestingReaderOutput<>();
        reader.pollNext(output);
        assertThat(context.getSentEvents()).as("sent once the batch is done").isEmpty();
        reader.pollNext(output);

        ContentHash hash = ContentHash.of("Text of a.".getBytes(UTF_8), ContentHash.sha256());
        assertThat(context.getSentEvents())
                .containsExactly(new FileContentReport(List.of(new FileContentReport.ReadFile("a.md", 4, hash))));
    }

    @Test
    void aFileWithTheHashOfItsLastReadContentIsSkippedWhenTheMetadataHasNoModificationTime() throws Exception {
        Files.writeString(folder.resolve("same.md"), "Unchanged text.");
        Files.writeString(folder.resolve("edited.md"), "Edited text.");
        ContentHash same = ContentHash.of("Unchanged text.".getBytes(UTF_8), ContentHash.sha256());
        ContentHash before = ContentHash.of("Text before the edit.".getBytes(UTF_8), ContentHash.sha256());
        List<FileChange> changes = List.of(new FileChange("same.md", 1, false, 0, same),
                new FileChange("edited.md", 2, false, 0, before));

        FolderSourceReader withoutTime = newReader(false);
        assertThat(readAll(withoutTime, changes)).extracting(DocumentChange::docId).containsExactly("edited.md");

        FolderSourceReader withTime = newReader(true);
        assertThat(readAll(withTime, changes)).extracting(DocumentChange::docId)
                .containsExactly("same.md", "edited.md");
    }

    @Test
    void aDocumentCarriesTheFilesSizeAndModificationTime() throws Exception {
        java.nio.file.Path file = Files.writeString(folder.resolve("a.md"), "Twelve bytes");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-30T10:15:00.250Z")));
        FolderSourceReader reader = newReader(true);

        assertThat(readAll(reader, List.of(new FileChange("a.md", 1, false, 0))).get(0).metadata())
                .containsEntry("size_bytes", "12")
                .containsEntry("modified_at", "2026-11-30T10:15:00.250Z")
                .containsEntry("path", "a.md")
                .containsEntry("file_name", "a.md");
    }

    private FolderSourceReader newReader(boolean modificationTimeInMetadata) {
        return new FolderSourceReader(new TestingReaderContext(), new Path(folder.toUri()), 1_000,
                modificationTimeInMetadata);
    }

    private static List<DocumentChange> readAll(FolderSourceReader reader, List<FileChange> changes) throws Exception {
        reader.addSplits(List.of(FileChangeSplit.of(changes)));
        TestingReaderOutput<DocumentChange> output = new TestingReaderOutput<>();
        for (int i = 0; i < changes.size(); i++) {
            reader.pollNext(output);
        }
        return output.getEmittedRecords();
    }
}
