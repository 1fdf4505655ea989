package dev.flinkrag.source.folder;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** How the enumerator keeps each file's content hash between scans. */
class FolderEnumeratorTest {

    @TempDir
    java.nio.file.Path folder;

    private TestingSplitEnumeratorContext<FileChangeSplit> context;
    private FolderEnumerator enumerator;
    private final ContentHash first = ContentHash.of("First text.".getBytes(UTF_8), ContentHash.sha256());

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(folder.resolve("a.md"), "First text.");
        context = new TestingSplitEnumeratorContext<>(1);
        context.registerReader(0, "localhost");
        enumerator = new FolderEnumerator(context,
                new FolderScanner(new Path(folder.toUri()), new FileSelection(Set.of("md"), List.of(), List.of())),
                Duration.ofMinutes(1), new FolderScanState(new HashMap<>(), 1, List.of()));
        enumerator.start();
    }

    private List<FileChange> scanAndHandOut() {
        context.getExecutorService().triggerPeriodicScheduledTasks();
        context.triggerAllActions();
        enumerator.handleSplitRequest(0, "localhost");
        List<FileChangeSplit> splits = context.getSplitAssignments().get(0).getAssignedSplits();
        List<FileChange> changes = new ArrayList<>(splits.get(splits.size() - 1).changes());
        splits.clear();
        return changes;
    }

    private void reportRead(long version, ContentHash hash) {
        enumerator.handleSourceEvent(0, new FileContentReport(List.of(new FileContentReport.ReadFile("a.md", version,
                hash))));
    }

    private void touch() throws Exception {
        java.nio.file.Path file = folder.resolve("a.md");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1_000));
    }

    @Test
    void theNextChangeOfAFileCarriesTheHashItsReaderReported() throws Exception {
        assertThat(scanAndHandOut()).extracting(FileChange::path, FileChange::version, FileChange::lastReadContent)
                .containsExactly(tuple("a.md", 1L, null));
        reportRead(1, first);

        touch();
        assertThat(scanAndHandOut()).extracting(FileChange::version, FileChange::lastReadContent)
                .containsExactly(tuple(2L, first));
        assertThat(enumerator.snapshotState(1).files().get("a.md").contentHash())
                .as("unknown until the reader of version 2 reports").isNull();
    }

    /** A hash read for an older change is not the content of the newest one, which may still be under way. */
    @Test
    void aReportForAChangeThatWasOvertakenIsIgnored() throws Exception {
        scanAndHandOut();
        touch();
        scanAndHandOut(); // version 2 handed out before version 1 was reported
        reportRead(1, first);

        touch();
        assertThat(scanAndHandOut()).extracting(FileChange::version, FileChange::lastReadContent)
                .containsExactly(tuple(3L, null));
    }
}
