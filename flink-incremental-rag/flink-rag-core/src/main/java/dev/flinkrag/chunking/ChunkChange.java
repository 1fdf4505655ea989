package dev.flinkrag.chunking;

import dev.flinkrag.sink.VectorOperation;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.List;
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
 * <p>After the chunk changes of each document version comes one {@linkplain #documentChunks document chunk
 * list}: the ids the document has now. A sink removes the document's other entries, which a from-scratch index
 * would not hold: entries written after the last checkpoint by a run that failed, when the restarted source
 * reads a newer version than the one those entries came from, or entries left in a reused table.
 *
 * @param kind the change kind ({@link RowKind#UPDATE_AFTER} for a document chunk list)
 * @param chunkId deterministic UUID of the chunk: document id, text and occurrence of that text; {@code null}
 *     for a document chunk list
 * @param docId the document the chunk belongs to
 * @param ordinal position of the chunk in its document, from 0; -1 for deletes
 * @param text the chunk text; {@code null} for deletes
 * @param metadata the document's metadata; {@code null} for deletes, and for the document chunk list of a document
 *     that is gone (deleted, or not indexable)
 * @param vector the embedding, once the embedding stage has run on an insert
 * @param sourceTimestamp when the source saw the document change (epoch ms)
 * @param documentChunkIds for a document chunk list, the ids of all chunks the document has now; otherwise
 *     {@code null}
 */
@PublicEvolving
public record ChunkChange(
        RowKind kind,
        @Nullable String chunkId,
        String docId,
        int ordinal,
        @Nullable String text,
        @Nullable Map<String, String> metadata,
        @Nullable float[] vector,
        long sourceTimestamp,
        @Nullable List<String> documentChunkIds) {

    public static final String DOC_ID = "doc_id";
    public static final String ORDINAL = VectorOperation.DocumentRecord.POSITION;

    /** One chunk's change. */
    public static ChunkChange of(RowKind kind, String chunkId, String docId, int ordinal, @Nullable String text,
            @Nullable Map<String, String> metadata, long sourceTimestamp) {
        return new ChunkChange(kind, chunkId, docId, ordinal, text, metadata, null, sourceTimestamp, null);
    }

    /**
     * The end of one document version's changes: the document now has exactly the chunks {@code chunkIds}, in this
     * order, and the metadata {@code metadata} ({@code null}: the document is gone).
     */
    public static ChunkChange documentChunks(String docId, List<String> chunkIds, @Nullable Map<String, String> metadata,
            long sourceTimestamp) {
        return new ChunkChange(RowKind.UPDATE_AFTER, null, docId, -1, null, metadata, null, sourceTimestamp,
                List.copyOf(chunkIds));
    }

    public boolean isDocumentChunks() {
        return documentChunkIds != null;
    }

    public ChunkChange withVector(@Nullable float[] embedding) {
        return new ChunkChange(kind, chunkId, docId, ordinal, text, metadata, embedding, sourceTimestamp,
                documentChunkIds);
    }

    public boolean needsEmbedding() {
        return kind == RowKind.INSERT;
    }

    @Override
    public String toString() {
        if (isDocumentChunks()) {
            return "ChunkChange{" + docId + " has " + documentChunkIds.size() + " chunks}";
        }
        return "ChunkChange{" + kind.shortString() + " " + chunkId + " of " + docId + " #" + ordinal + "}";
    }
}
