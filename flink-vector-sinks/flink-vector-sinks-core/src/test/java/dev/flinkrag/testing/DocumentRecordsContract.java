package dev.flinkrag.testing;

import dev.flinkrag.sink.VectorOperation;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a store that keeps document records must do, written once for every such store: entries carry only their
 * document's id, the record carries the document's metadata and the entries' order, and reads see each entry with
 * its document's metadata and position; filters on document metadata select the documents' entries, before the
 * nearest-neighbour cut (k hits whenever k entries match); a metadata change rewrites the record only.
 */
public final class DocumentRecordsContract {

    /** Applies a flush to the store under test (one call per flush, as a sink writer does). */
    @FunctionalInterface
    public interface Flush {
        void apply(List<VectorOperation> operations) throws Exception;
    }

    private static final String FIELD = "doc_id";
    private static final int DIMENSION = 4;

    private DocumentRecordsContract() {}

    public static void check(Flush flush, EmbeddingStore<TextSegment> store) throws Exception {
        // two documents of 6 entries each; "b" entries lie nearer the query than "a" entries
        flush.apply(document("a", Map.of("title", "Alpha", "year", 2024L), 6, 0f));
        flush.apply(document("b", Map.of("title", "Beta", "year", 2025L), 6, 1f));

        List<EmbeddingMatch<TextSegment>> alpha = search(store, metadataKey("title").isEqualTo("Alpha"), 5);
        assertThat(alpha).as("k hits of the filtered document, though the other one is nearer").hasSize(5)
                .allSatisfy(match -> assertThat(match.embedded().metadata().toMap())
                        .containsEntry("title", "Alpha").containsEntry(FIELD, "a"));
        Map<String, Object> first = metadataOf(store, "a-0");
        assertThat(first).containsEntry("title", "Alpha").containsEntry(FIELD, "a")
                .containsEntry(VectorOperation.DocumentRecord.POSITION, 0);
        assertThat(metadataOf(store, "a-5")).containsEntry(VectorOperation.DocumentRecord.POSITION, 5);
        assertThat(search(store, metadataKey("year").isGreaterThan(2024L), 20)).hasSize(6)
                .allSatisfy(match -> assertThat(match.embeddingId()).startsWith("b-"));
        assertThat(search(store, metadataKey("title").isNotEqualTo("Alpha"), 20)).hasSize(6)
                .allSatisfy(match -> assertThat(match.embeddingId()).startsWith("b-"));

        // a new title and one entry inserted at the front: the record and the new entry are all that is written
        List<String> order = new ArrayList<>(List.of("a-new"));
        for (int i = 0; i < 6; i++) {
            order.add("a-" + i);
        }
        flush.apply(List.of(
                VectorOperation.upsert("a-new", "a new first chunk", vector(0f, 9), Map.of(FIELD, "a")),
                VectorOperation.document(FIELD, "a", new VectorOperation.DocumentRecord(
                        Map.of("title", "Alpha 2", "year", 2024L, FIELD, "a"), order))));
        assertThat(search(store, metadataKey("title").isEqualTo("Alpha"), 20)).isEmpty();
        assertThat(search(store, metadataKey("title").isEqualTo("Alpha 2"), 20)).hasSize(7);
        assertThat(metadataOf(store, "a-0")).containsEntry("title", "Alpha 2")
                .containsEntry(VectorOperation.DocumentRecord.POSITION, 1);
        assertThat(metadataOf(store, "a-new")).containsEntry(VectorOperation.DocumentRecord.POSITION, 0);

        // the document is gone: its entries and its record
        flush.apply(List.of(VectorOperation.document(FIELD, "a", null)));
        assertThat(search(store, null, 20)).hasSize(6).allSatisfy(match -> assertThat(match.embeddingId()).startsWith("b-"));
        assertThat(search(store, metadataKey("title").isEqualTo("Alpha 2"), 20)).isEmpty();
    }

    private static List<VectorOperation> document(String id, Map<String, Object> metadata, int entries, float offset) {
        List<VectorOperation> operations = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            String entryId = id + "-" + i;
            ids.add(entryId);
            operations.add(VectorOperation.upsert(entryId, "chunk " + i + " of " + id, vector(offset, i),
                    Map.of(FIELD, id)));
        }
        Map<String, Object> record = new HashMap<>(metadata);
        record.put(FIELD, id);
        operations.add(VectorOperation.document(FIELD, id, new VectorOperation.DocumentRecord(record, ids)));
        return operations;
    }

    /** Near the query [1, 0, 0, 0] for offset 1, farther for offset 0; distinct per entry. */
    private static float[] vector(float offset, int i) {
        return new float[] {0.2f + offset, 0.5f, 0.01f * (i + 1), 0.3f};
    }

    private static List<EmbeddingMatch<TextSegment>> search(EmbeddingStore<TextSegment> store, Filter filter, int k) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(new Embedding(new float[] {1f, 0f, 0f, 0f}))
                .maxResults(k).filter(filter).build()).matches();
    }

    private static Map<String, Object> metadataOf(EmbeddingStore<TextSegment> store, String id) {
        return search(store, null, 50).stream().filter(match -> match.embeddingId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + id)).embedded().metadata().toMap();
    }

    public static int dimension() {
        return DIMENSION;
    }
}
