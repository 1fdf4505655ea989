package dev.flinkrag.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Vectors already computed, keyed by model id and a SHA-256 of the text, bounded by memory.
 *
 * <p>One cache per model and JVM, shared by every task slot of a TaskManager: a paragraph repeated in a
 * thousand documents, or an edit that is reverted, costs no further model call. It lives outside Flink
 * state on purpose: it is only an optimisation, so it must not grow checkpoints; after a restart it
 * fills again.
 */
public final class EmbeddingCache {

    private static final Map<String, EmbeddingCache> BY_MODEL = new HashMap<>();

    private final String modelId;
    private final Cache<String, float[]> vectors;

    private EmbeddingCache(String modelId, long maxBytes) {
        this.modelId = modelId;
        this.vectors = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, float[] vector) -> key.length() * 2 + vector.length * Float.BYTES + 64)
                .build();
    }

    /** The JVM's cache for {@code modelId}; the first caller's size bound applies. */
    public static synchronized EmbeddingCache forModel(String modelId, long maxBytes) {
        return BY_MODEL.computeIfAbsent(modelId, id -> new EmbeddingCache(id, maxBytes));
    }

    @Nullable
    public float[] get(String text) {
        return vectors.getIfPresent(key(text));
    }

    public void put(String text, float[] vector) {
        vectors.put(key(text), vector);
    }

    public long estimatedSize() {
        return vectors.estimatedSize();
    }

    private String key(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return modelId + ':' + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
