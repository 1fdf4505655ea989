package dev.flinkrag.chunking;

import org.apache.flink.annotation.PublicEvolving;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Deterministic chunk ids: a name-based UUID of the document id, the chunk text and how many chunks with
 * the same text came before it in the document. Re-indexing a document from scratch yields the same ids,
 * which makes replays idempotent; UUIDs are what Qdrant, Weaviate and pgvector stores accept as keys.
 */
@PublicEvolving
public final class ChunkIds {

    private ChunkIds() {}

    public static UUID of(String docId, String text, int occurrence) {
        String name = docId + '\u0000' + occurrence + '\u0000' + text;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The ids of a document's chunks, in order. */
    public static List<UUID> of(String docId, List<String> chunkTexts) {
        Map<String, Integer> seen = new HashMap<>();
        List<UUID> ids = new ArrayList<>(chunkTexts.size());
        for (String text : chunkTexts) {
            int occurrence = seen.merge(text, 1, Integer::sum) - 1;
            ids.add(of(docId, text, occurrence));
        }
        return ids;
    }
}
