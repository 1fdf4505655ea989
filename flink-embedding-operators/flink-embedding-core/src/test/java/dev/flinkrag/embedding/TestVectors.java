package dev.flinkrag.embedding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic test vectors derived from a SHA-256 of the text: equal texts, equal vectors, in any JVM. */
public final class TestVectors {

    private TestVectors() {}

    public static float[] of(String text, int dimensions) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            float[] vector = new float[dimensions];
            for (int i = 0; i < dimensions; i++) {
                vector[i] = (digest[i % digest.length] + 0.5f) / 128f;
            }
            return vector;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
