package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One change to apply to a vector store, keyed by {@link #id()}.
 *
 * @param kind what to do with the entry
 * @param id the entry's key in the store (a chunk id); for {@link Kind#RETAIN_ONLY} the document's id
 * @param text the embedded text; {@code null} for deletes
 * @param vector the embedding; set for upserts only
 * @param metadata flat metadata (String, Integer, Long, Float, Double values); {@code null} for deletes; for
 *     {@link Kind#RETAIN_ONLY} the one field that names the document, mapped to the document's id
 * @param sourceTimestamp when the change happened at the source (epoch ms, 0 if unknown), for lag metrics
 * @param retainedIds for {@link Kind#RETAIN_ONLY}: the ids the document keeps; {@code null} otherwise
 * @param document for {@link Kind#RETAIN_ONLY}: the document's own record, kept once per document by a store that
 *     {@linkplain VectorSinkFactory#keepsDocuments keeps documents}; {@code null} when the document is gone (or for a
 *     store that does not keep documents, which ignores it)
 */
@PublicEvolving
public record VectorOperation(
        Kind kind,
        String id,
        @Nullable String text,
        @Nullable float[] vector,
        @Nullable Map<String, Object> metadata,
        long sourceTimestamp,
        @Nullable Set<String> retainedIds,
        @Nullable DocumentRecord document) {

    /**
     * What a store that keeps documents holds once per document: the document's metadata (filters on it select the
     * document's entries) and its entries in order (an entry's position is its index here, so inserting an entry
     * shifts no stored entry).
     */
    public record DocumentRecord(Map<String, Object> metadata, List<String> entryIds) {

        /** The metadata key under which a store that keeps documents returns an entry's position in its document. */
        public static final String POSITION = "ordinal";

        public DocumentRecord {
            metadata = Map.copyOf(metadata);
            entryIds = List.copyOf(entryIds);
        }
    }

    public enum Kind {
        /** Insert or replace the whole entry. */
        UPSERT,
        /** Replace text and metadata, keep the stored vector: the text's embedding did not change. */
        UPDATE_METADATA,
        /** Remove the entry if present. */
        DELETE,
        /**
         * Remove every entry of one document (its metadata field {@link #documentField()} equals {@link #id()})
         * other than {@link #retainedIds()}. Sent after a document's entry operations, it also removes entries
         * the store kept from before a restore that the replayed history no longer produces.
         */
        RETAIN_ONLY
    }

    public VectorOperation {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("vector operation " + kind + " has no id");
        }
        if (kind == Kind.UPSERT && (vector == null || vector.length == 0)) {
            throw new IllegalArgumentException("upsert of id " + id + " has no vector");
        }
        if (kind != Kind.DELETE && metadata == null) {
            throw new IllegalArgumentException(kind + " of id " + id + " has no metadata");
        }
        if (kind == Kind.RETAIN_ONLY && (retainedIds == null || metadata.size() != 1
                || !id.equals(metadata.values().iterator().next()))) {
            throw new IllegalArgumentException("RETAIN_ONLY of document " + id
                    + " needs its retained ids and exactly one metadata field naming the document");
        }
        if (document != null && kind != Kind.RETAIN_ONLY) {
            throw new IllegalArgumentException(kind + " of id " + id + " cannot carry a document record");
        }
    }

    public static VectorOperation upsert(String id, String text, float[] vector, Map<String, Object> metadata) {
        return new VectorOperation(Kind.UPSERT, id, text, vector, metadata, 0L, null, null);
    }

    public static VectorOperation updateMetadata(String id, String text, Map<String, Object> metadata) {
        return new VectorOperation(Kind.UPDATE_METADATA, id, text, null, metadata, 0L, null, null);
    }

    public static VectorOperation delete(String id) {
        return new VectorOperation(Kind.DELETE, id, null, null, null, 0L, null, null);
    }

    /**
     * Document {@code documentId} now has exactly the entries {@code ids}: every other entry whose metadata
     * field {@code documentField} equals {@code documentId} is removed.
     */
    public static VectorOperation retainOnly(String documentField, String documentId, Collection<String> ids) {
        return new VectorOperation(Kind.RETAIN_ONLY, documentId, null, null, Map.of(documentField, documentId), 0L,
                Set.copyOf(ids), null);
    }

    /**
     * As {@link #retainOnly}, and the document's record becomes {@code document} (in a store that keeps documents);
     * {@code null} removes the record: the document is gone.
     */
    public static VectorOperation document(String documentField, String documentId, @Nullable DocumentRecord document) {
        List<String> ids = document == null ? List.of() : document.entryIds();
        return new VectorOperation(Kind.RETAIN_ONLY, documentId, null, null, Map.of(documentField, documentId), 0L,
                Set.copyOf(ids), document);
    }

    public VectorOperation withSourceTimestamp(long timestamp) {
        return new VectorOperation(kind, id, text, vector, metadata, timestamp, retainedIds, document);
    }

    /** This retain keeping only {@code ids} of the document, with the same document record. */
    public VectorOperation withRetainedIds(Set<String> ids) {
        return new VectorOperation(kind, id, text, vector, metadata, sourceTimestamp, Set.copyOf(ids), document);
    }

    /** The metadata field that names the document of a {@link Kind#RETAIN_ONLY}. */
    public String documentField() {
        if (kind != Kind.RETAIN_ONLY) {
            throw new IllegalStateException(kind + " of id " + id + " has no document field");
        }
        return metadata.keySet().iterator().next();
    }

    /**
     * This operation applied on top of {@code earlier} for the same id, as one operation: the store
     * ends in the same state as if both were applied in order.
     */
    public VectorOperation after(VectorOperation earlier) {
        if (kind == Kind.UPDATE_METADATA && earlier.kind == Kind.UPSERT) {
            // the row is not in the store yet: keep the earlier vector, take the newer text and metadata
            return new VectorOperation(Kind.UPSERT, id, text, earlier.vector, metadata, sourceTimestamp, null, null);
        }
        if (kind == Kind.UPDATE_METADATA && earlier.kind == Kind.DELETE) {
            // updating an entry that was just deleted changes nothing: it stays deleted (keeping only the
            // update would leave the stored entry, which the delete removed, in place)
            return earlier;
        }
        return this;
    }
}
