package dev.flinkrag.chunking;

import dev.flinkrag.document.DocumentChange;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a document's id and metadata must be for every store to take its chunks: each chunk carries them, and a
 * store that refuses one entry would fail the job on every restart. The limits are those of the strictest store:
 * a PostgreSQL B-tree entry (the pgvector sink indexes {@code doc_id}) holds at most 2,704 bytes, a Lucene
 * keyword term 32,766 bytes, and neither PostgreSQL nor an unpaired surrogate's encoders take every character.
 */
final class DocumentChecks {

    static final int MAX_DOC_ID_BYTES = 2_048;
    static final int MAX_METADATA_BYTES = 32_000;

    private DocumentChecks() {}

    /** What is wrong with the change's id or metadata, naming the field, or {@code null}. */
    @Nullable
    static String problem(DocumentChange change) {
        String idProblem = docIdProblem(change.docId());
        return idProblem != null ? idProblem : metadataProblem(change.metadata());
    }

    /** What is wrong with a document id, or {@code null}; a store cannot even look up a document by a bad id. */
    @Nullable
    static String docIdProblem(@Nullable String id) {
        if (id == null) {
            return "field 'docId' is null";
        }
        if (!StoreSafeText.isSafe(id)) {
            return "field 'docId' holds a control character or an unpaired surrogate";
        }
        int idBytes = utf8Length(id);
        if (idBytes > MAX_DOC_ID_BYTES) {
            return "field 'docId' is " + idBytes + " bytes of UTF-8, more than " + MAX_DOC_ID_BYTES;
        }
        return null;
    }

    @Nullable
    private static String metadataProblem(Map<String, String> metadata) {
        long metadataBytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                return "metadata key '" + entry.getKey() + "' has a null " + (entry.getKey() == null ? "key" : "value");
            }
            if (!StoreSafeText.isSafe(entry.getKey()) || !StoreSafeText.isSafe(entry.getValue())) {
                return "metadata key '" + StoreSafeText.of(entry.getKey())
                        + "' holds a control character or an unpaired surrogate";
            }
            metadataBytes += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
        }
        if (metadataBytes > MAX_METADATA_BYTES) {
            return "field 'metadata' is " + metadataBytes + " bytes of UTF-8 keys and values, more than "
                    + MAX_METADATA_BYTES;
        }
        return null;
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
