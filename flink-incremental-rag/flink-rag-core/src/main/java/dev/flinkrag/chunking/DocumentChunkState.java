package dev.flinkrag.chunking;

import org.apache.flink.annotation.Internal;

import java.util.UUID;

/**
 * What the chunker remembers of one document: its last applied version, a fingerprint of its metadata and
 * the ids of its chunks in order. Ids stand for the texts (they hash them), so state stays small: 16
 * bytes per chunk, never the text. A deleted document keeps its version (a tombstone) so that stale
 * changes arriving after the delete are still recognised.
 */
@Internal
public final class DocumentChunkState {

    /** Last applied version. */
    public long version;

    /** Fingerprint of the metadata the chunks were written with. */
    public long metadataFingerprint;

    /** Chunk ids as (most, least) significant bit pairs, in ordinal order; empty after a delete. */
    public long[] chunkIdBits = new long[0];

    public DocumentChunkState() {}

    DocumentChunkState(long version, long metadataFingerprint, java.util.List<UUID> chunkIds) {
        this.version = version;
        this.metadataFingerprint = metadataFingerprint;
        this.chunkIdBits = new long[chunkIds.size() * 2];
        for (int i = 0; i < chunkIds.size(); i++) {
            chunkIdBits[2 * i] = chunkIds.get(i).getMostSignificantBits();
            chunkIdBits[2 * i + 1] = chunkIds.get(i).getLeastSignificantBits();
        }
    }

    int chunkCount() {
        return chunkIdBits.length / 2;
    }

    UUID chunkId(int ordinal) {
        return new UUID(chunkIdBits[2 * ordinal], chunkIdBits[2 * ordinal + 1]);
    }
}
