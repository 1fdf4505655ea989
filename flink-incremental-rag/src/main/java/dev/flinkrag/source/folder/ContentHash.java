package dev.flinkrag.source.folder;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The first 128 bits of a file content's SHA-256: enough to tell a rewrite with the same bytes from an edit, in 16
 * bytes of state per file.
 */
public record ContentHash(long high, long low) implements Serializable {

    static ContentHash of(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            ByteBuffer bits = ByteBuffer.wrap(digest);
            return new ContentHash(bits.getLong(), bits.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
