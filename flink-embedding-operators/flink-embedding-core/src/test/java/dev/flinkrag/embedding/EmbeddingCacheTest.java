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

    /**
     * After a failover, a surviving TaskManager runs the work of the one that was lost; the vectors the lost
     * one appended after the survivor started must be found there, or the replay is embedded again.
     */
    @Test
    void aCacheThatOpensAgainReadsWhatOtherJvmsAppendedSince() throws IOException {
        EmbeddingCache survivor = new EmbeddingCache("model-a", ONE_MB, directory);
        EmbeddingCache lost = new EmbeddingCache("model-a", ONE_MB, directory);
        lost.put("embedded by the lost one", new float[] {1f, 2f});
        survivor.put("embedded by the survivor", new float[] {3f, 4f});
        assertThat(survivor.get("embedded by the lost one")).isNull();

        survivor.catchUp();
        assertThat(survivor.get("embedded by the lost one")).containsExactly(1f, 2f);

        // a record still half-written is not read, and is read whole once it is complete
        lost.put("written in two parts", new float[] {5f, 6f});
        Path lostFile = largest(files().toList()); // two records against the survivor's one
        byte[] whole = Files.readAllBytes(lostFile);
        Files.write(lostFile, java.util.Arrays.copyOf(whole, whole.length - 3));
        survivor.catchUp();
        assertThat(survivor.get("written in two parts")).isNull();
        Files.write(lostFile, whole);
        survivor.catchUp();
        assertThat(survivor.get("written in two parts")).containsExactly(5f, 6f);

        EmbeddingCache startedLater = new EmbeddingCache("model-a", ONE_MB, directory);
        startedLater.put("from a JVM that started later", new float[] {7f});
        survivor.catchUp();
        assertThat(survivor.get("from a JVM that started later")).containsExactly(7f);
    }

    /** The wiring: the JVM-wide cache catches up each time an embedding operator asks for it. */
    @Test
    void theJvmCacheCatchesUpWhenAnOperatorOpens() {
        String model = "model-" + java.util.UUID.randomUUID();
        EmbeddingCache jvmCache = EmbeddingCache.forModel(model, ONE_MB, directory);
        new EmbeddingCache(model, ONE_MB, directory).put("from another JVM", new float[] {1f});

        assertThat(EmbeddingCache.forModel(model, ONE_MB, directory)).isSameAs(jvmCache);
        assertThat(jvmCache.get("from another JVM")).containsExactly(1f);
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

    private static Path largest(java.util.List<Path> files) throws IOException {
        Path largest = files.get(0);
        for (Path file : files) {
            if (Files.size(file) > Files.size(largest)) {
                largest = file;
            }
        }
        return largest;
    }

    private long totalBytes() throws IOException {
        long total = 0;
        for (Path file : files().toList()) {
            total += Files.size(file);
        }
        return total;
    }
}
