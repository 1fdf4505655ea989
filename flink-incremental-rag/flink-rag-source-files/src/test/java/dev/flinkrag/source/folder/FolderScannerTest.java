package dev.flinkrag.source.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FolderScannerTest {

    @TempDir
    Path temp;

    @Test
    void listsSelectedFilesWithSlashSeparatedPathsSizesAndTimes() throws Exception {
        Files.createDirectories(temp.resolve("a/b"));
        Files.writeString(temp.resolve("a/b/one.md"), "12345");
        Files.writeString(temp.resolve("two.txt"), "x");
        Files.writeString(temp.resolve("a/skip.bin"), "x");
        var files = new FolderScanner(new org.apache.flink.core.fs.Path(temp.toUri()),
                new FileSelection(Set.of("md", "txt"), List.of(), List.of())).scan();
        assertThat(files).containsOnlyKeys("a/b/one.md", "two.txt");
        assertThat(files.get("a/b/one.md").size()).isEqualTo(5);
        assertThat(files.get("a/b/one.md").modifiedMillis())
                .isEqualTo(Files.getLastModifiedTime(temp.resolve("a/b/one.md")).toMillis());
    }

    @Test
    void linkedDirectoriesAreNotFollowedSoNoFileIsListedTwice() throws Exception {
        Files.createDirectories(temp.resolve("docs"));
        Files.writeString(temp.resolve("docs/a.md"), "a");
        Files.createSymbolicLink(temp.resolve("docs/loop"), temp.resolve("docs"));
        var files = new FolderScanner(new org.apache.flink.core.fs.Path(temp.toUri()),
                new FileSelection(Set.of("md"), List.of(), List.of())).scan();
        assertThat(files).containsOnlyKeys("docs/a.md");
    }

    @Test
    void aLinkedFileIsListedThroughItsLinkAndADanglingLinkIsSkipped() throws Exception {
        Files.createDirectories(temp.resolve("docs"));
        Files.writeString(temp.resolve("elsewhere.md"), "linked text");
        Files.createSymbolicLink(temp.resolve("docs/linked.md"), temp.resolve("elsewhere.md"));
        Files.createSymbolicLink(temp.resolve("docs/dangling.md"), temp.resolve("gone.md"));
        var files = new FolderScanner(new org.apache.flink.core.fs.Path(temp.resolve("docs").toUri()),
                new FileSelection(Set.of("md"), List.of(), List.of())).scan();
        assertThat(files).containsOnlyKeys("linked.md");
        assertThat(files.get("linked.md").size()).isEqualTo("linked text".length());
    }

    @Test
    void aMissingFolderHasNoFiles() {
        var files = new FolderScanner(new org.apache.flink.core.fs.Path(temp.resolve("absent").toUri()),
                new FileSelection(Set.of("md"), List.of(), List.of())).scan();
        assertThat(files).isEmpty();
    }
}
