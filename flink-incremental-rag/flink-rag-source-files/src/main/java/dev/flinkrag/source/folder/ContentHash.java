package dev.flinkrag.source.folder;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The first 128 bits of a file content's SHA-256: enough to tell a rewrite with the same bytes from an edit, in 16
 * bytes of state per file.
 */
record ContentHash(long high, long low) implements Serializable {

    /** With a digest the caller reuses (looking one up costs more than hashing a small file). */
    static ContentHash of(byte[] content, MessageDigest sha256) {
        ByteBuffer bits = ByteBuffer.wrap(sha256.digest(content));
        return new ContentHash(bits.getLong(), bits.getLong());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
