package dev.flinkrag.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Vectors already computed, keyed by a SHA-256 of the text, bounded by memory, one per model and JVM.
 *
 * <p>Shared by every task slot of a TaskManager: a paragraph repeated in a thousand documents, or an edit
 * that is reverted, costs no further model call. It lives outside Flink state on purpose: it is only an
 * optimisation and can grow to many megabytes, so it must not grow checkpoints. Without a directory it
 * fills again after a restart; with one ({@code embedding.cache.directory}), every new vector is also
 * appended to {@link CacheSpillFile}s there and read back when the next JVM first uses the model, and again
 * whenever an embedding operator of this JVM opens, so a job that restarts after a crash does not pay again for
 * what it embedded since its last checkpoint, whichever TaskManager embedded it.
 */
final class EmbeddingCache {

    private static final Map<String, EmbeddingCache> BY_MODEL = new HashMap<>();

    private final Cache<String, float[]> vectors;
    @Nullable private final CacheSpillFile spill;

    EmbeddingCache(String modelId, long maxBytes, @Nullable Path directory) {
        this.vectors = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, float[] vector) -> key.length() * 2 + vector.length * Float.BYTES + 64)
                .build();
        this.spill = directory == null ? null : CacheSpillFile.open(directory, modelId, maxBytes, vectors);
    }

    /**
     * The JVM's cache for {@code modelId}; the first caller's size bound and directory apply. Called when an
     * embedding operator opens, which after a failover may be for work another TaskManager did before it
     * was lost: an existing cache first reads what other JVMs appended to the directory since.
     */
    public static synchronized EmbeddingCache forModel(String modelId, long maxBytes, @Nullable Path directory) {
        EmbeddingCache existing = BY_MODEL.get(modelId);
        if (existing == null) {
            EmbeddingCache created = new EmbeddingCache(modelId, maxBytes, directory);
            BY_MODEL.put(modelId, created);
            return created;
        }
        existing.catchUp();
        return existing;
    }

    /** Reads the vectors other JVMs added to the directory since this cache last looked. */
    void catchUp() {
        if (spill != null) {
            spill.catchUp(vectors);
        }
    }

    @Nullable
    public float[] get(String text) {
        return vectors.getIfPresent(key(text));
    }

    public void put(String text, float[] vector) {
        String key = key(text);
        vectors.put(key, vector);
        if (spill != null) {
            spill.append(key, vector);
        }
    }

    public long estimatedSize() {
        return vectors.estimatedSize();
    }

    /** Lets go of the disk file, as this JVM's exit would (tests stand for several JVMs in one). */
    void closeFile() {
        if (spill != null) {
            spill.close();
        }
    }

    private static String key(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
