package dev.flinkrag.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each {@code new EmbeddingCache} here stands for the cache of a new TaskManager JVM. */
class EmbeddingCacheTest {

    private static final long ONE_MB = 1 << 20;

    @TempDir
    Path directory;

    @Test
    void vectorsSurviveARestartThroughTheDirectory() {
        EmbeddingCache first = new EmbeddingCache("model-a", ONE_MB, directory);
        first.put("a paragraph", new float[] {1f, 2f, 3f});
        first.put("another paragraph", new float[] {4f, 5f, 6f});

        EmbeddingCache afterRestart = new EmbeddingCache("model-a", ONE_MB, directory);
        assertThat(afterRestart.get("a paragraph")).containsExactly(1f, 2f, 3f);
        assertThat(afterRestart.get("another paragraph")).containsExactly(4f, 5f, 6f);
        assertThat(new EmbeddingCache("model-b", ONE_MB, directory).get("a paragraph"))
                .as("another model's cache").isNull();
        assertThat(new EmbeddingCache("model-a", ONE_MB, null).get("a paragraph")).as("memory only").isNull();
    }

    @Test
    void aRecordTornByACrashIsIgnoredAndTheRestIsRead() throws IOException {
        EmbeddingCache first = new EmbeddingCache("model-a", ONE_MB, directory);
        first.put("whole", new float[] {1f, 2f});
        first.put("torn", new float[] {3f, 4f});
        Path file = files().findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));

        EmbeddingCache afterCrash = new EmbeddingCache("model-a", ONE_MB, directory);
        assertThat(afterCrash.get("whole")).containsExactly(1f, 2f);
        assertThat(afterCrash.get("torn")).isNull();
    }

    /** Files of JVMs that are gone are folded into the new JVM's file once they outgrow twice the bound. */
    @Test
    void filesAreCompactedWhenTheyOutgrowTheMemoryBound() throws IOException {
        long bound = 64 * 1024; // ~40 vectors of 384 floats
        for (int jvm = 0; jvm < 5; jvm++) {
            EmbeddingCache cache = new EmbeddingCache("model-a", bound, directory);
            for (int i = 0; i < 100; i++) {
                cache.put("text " + jvm + "/" + i, new float[384]);
            }
            cache.closeFile();
        }
        long written = 5 * 100 * (2 + 44 + 4 + 384 * 4);
        long oneJvmsWrites = written / 5;

        EmbeddingCache last = new EmbeddingCache("model-a", bound, directory);

        // what the bound kept, rewritten by the last JVM, plus at most the writes of the JVM before it
        assertThat(totalBytes()).isLessThan(2 * bound + oneJvmsWrites).isLessThan(written / 2);
        assertThat(last.estimatedSize()).as("vectors read back").isPositive();
    }

    @Test
    void anUnusableDirectoryLeavesAWorkingMemoryCache() throws IOException {
        Path notADirectory = Files.writeString(directory.resolve("file"), "x");
        EmbeddingCache cache = new EmbeddingCache("model-a", ONE_MB, notADirectory);
        cache.put("text", new float[] {1f});
        assertThat(cache.get("text")).containsExactly(1f);
    }

    private Stream<Path> files() throws IOException {
        try (Stream<Path> models = Files.list(directory)) {
            Path model = models.findFirst().orElseThrow();
            return Files.list(model).toList().stream();
        }
    }

    private long totalBytes() throws IOException {
        long total = 0;
        for (Path file : files().toList()) {
            total += Files.size(file);
        }
        return total;
    }
}
