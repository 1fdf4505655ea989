package dev.flinkrag.source.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FolderWatcherTest {

    @TempDir
    Path folder;

    private final Semaphore changes = new Semaphore(0);

    private boolean changed() throws InterruptedException {
        boolean got = changes.tryAcquire(30, TimeUnit.SECONDS);
        changes.drainPermits();
        return got;
    }

    @Test
    void writesDeletesAndFilesInNewDirectoriesAreReported() throws Exception {
        Files.createDirectories(folder.resolve("old"));
        try (FolderWatcher watcher = FolderWatcher.start(folder, changes::release)) {
            assertThat(watcher).as("this platform's file notifications").isNotNull();
            Files.writeString(folder.resolve("old").resolve("a.md"), "A");
            assertThat(changed()).as("a file in a directory that existed at the start").isTrue();
            Path fresh = Files.createDirectories(folder.resolve("fresh"));
            assertThat(changed()).as("a new directory").isTrue();
            Files.writeString(fresh.resolve("b.md"), "B");
            assertThat(changed()).as("a file in the new directory").isTrue();
            Files.delete(folder.resolve("old").resolve("a.md"));
            assertThat(changed()).as("a delete").isTrue();
        }
    }
}
