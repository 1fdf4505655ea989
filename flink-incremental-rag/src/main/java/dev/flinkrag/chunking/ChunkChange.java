package dev.flinkrag.chunking;

import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.Map;

/**
 * One change to one chunk of the index, as a Flink changelog row.
 *
 * <ul>
 *   <li>{@link RowKind#INSERT}: a chunk with new text; it needs an embedding.
 *   <li>{@link RowKind#UPDATE_AFTER}: the chunk's text (and so its vector) is unchanged, but its ordinal
 *       or the document metadata changed; no embedding.
 *   <li>{@link RowKind#DELETE}: the chunk is gone.
 * </ul>
 *
 * @param kind the change kind
 * @param chunkId deterministic UUID of the chunk: document id, text and occurrence of that text
 * @param docId the document the chunk belongs to
 * @param ordinal position of the chunk in its document, from 0; -1 for deletes
 * @param text the chunk text; {@code null} for deletes
 * @param metadata the document's metadata; {@code null} for deletes
 * @param vector the embedding, once the embedding stage has run on an insert
 * @param sourceTimestamp when the source saw the document change (epoch ms)
 */
public record ChunkChange(
        RowKind kind,
        String chunkId,
        String docId,
        int ordinal,
        @Nullable String text,
        @Nullable Map<String, String> metadata,
        @Nullable float[] vector,
        long sourceTimestamp) {

    public static final String DOC_ID = "doc_id";
    public static final String ORDINAL = "ordinal";

    public ChunkChange withVector(@Nullable float[] embedding) {
        return new ChunkChange(kind, chunkId, docId, ordinal, text, metadata, embedding, sourceTimestamp);
    }

    public boolean needsEmbedding() {
        return kind == RowKind.INSERT;
    }

    @Override
    public String toString() {
        return "ChunkChange{" + kind.shortString() + " " + chunkId + " of " + docId + " #" + ordinal + "}";
    }
}
