package dev.flinkrag.lucene;

import dev.flinkrag.sink.VectorOperation;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;

/** Hybrid BM25 + vector search with reciprocal rank fusion, and filters applied inside both searches. */
class LuceneHybridSearchTest {

    private static final float[] QUERY = {1f, 0f, 0f, 0f};

    @TempDir
    Path temp;

    private LuceneEmbeddingStore store;

    /**
     * 200 entries: "near" is the closest vector but never names the part; "exact" names the part number and
     * is the second closest; the rest are spread around, and 10 of them (group "rare") are far away.
     */
    @BeforeEach
    void index() throws Exception {
        Random random = new Random(1);
        List<VectorOperation> operations = new ArrayList<>();
        operations.add(VectorOperation.upsert("near", "replacing a worn pump gasket in general", new float[] {1f, 0.01f, 0f, 0f},
                Map.of("group", "common")));
        operations.add(VectorOperation.upsert("exact", "part XK4471 seal kit fits only the 2019 pump",
                new float[] {1f, 0.05f, 0f, 0f}, Map.of("group", "common")));
        for (int i = 0; i < 198; i++) {
            boolean rare = i < 10;
            float[] vector = rare ? new float[] {-1f, random.nextFloat(), random.nextFloat(), 0f}
                    : new float[] {random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
            operations.add(VectorOperation.upsert("doc-" + i, "maintenance note " + i + " about valves and filters",
                    vector, Map.of("group", rare ? "rare" : "common")));
        }
        LuceneIndex index = LuceneIndexes.acquire(temp);
        index.apply(operations);
        index.commit();
        LuceneIndexes.release(index);
        store = LuceneEmbeddingStore.open(temp);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anExactTermLiftsItsEntryAboveTheNearestVector() {
        EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(QUERY)).maxResults(3).build();
        assertThat(ids(store.search(request).matches())).startsWith("near", "exact");
        assertThat(ids(store.hybridSearch(request, "which seal kit is XK4471?").matches())).startsWith("exact", "near");
    }

    /**
     * A unique identifier that only BM25 finds (its entry is far from the query's vector, beyond the vector side's
     * candidates) while the query's other words match many entries that are also near the vector: plain reciprocal
     * rank fusion ranks those above it, the leader bonus keeps it in the top 3.
     */
    @Test
    void aUniqueIdentifierOnlyBm25FindsStaysInTheTopThree() throws Exception {
        LuceneIndex index = LuceneIndexes.acquire(temp);
        try {
            index.apply(List.of(VectorOperation.upsert("unique", "error ZQ88127 seen once in the checkout log",
                    new float[] {-1f, 0f, 0f, 0.01f}, Map.of("group", "far"))));
            index.commit();
        } finally {
            LuceneIndexes.release(index);
        }
        EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(QUERY)).maxResults(3).build();
        assertThat(ids(store.search(EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(QUERY))
                .maxResults(100).build()).matches())).doesNotContain("unique");
        assertThat(ids(store.hybridSearch(request, "maintenance note about valves and filters ZQ88127").matches()))
                .contains("unique");
    }

    /** A post-filter would keep almost nothing of the top candidates; a pre-filter still fills k results. */
    @Test
    void filtersApplyInsideBothSearches() {
        EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(QUERY)).maxResults(5)
                .filter(metadataKey("group").isEqualTo("rare")).build();
        assertThat(store.hybridSearch(request, "XK4471 seal").matches()).hasSize(5)
                .allSatisfy(match -> assertThat(match.embedded().metadata().getString("group")).isEqualTo("rare"));
        assertThat(store.search(request).matches()).hasSize(5);
    }

    @Test
    void queryTextIsNeverParsedAsSyntax() {
        EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(QUERY)).maxResults(3).build();
        assertThat(store.hybridSearch(request, "\"unbalanced (AND: -- OR* ~").matches()).hasSize(3);
        assertThat(store.hybridSearch(request, "   ").matches()).extracting(EmbeddingMatch::embeddingId)
                .startsWith("near");
    }

    private static List<String> ids(List<EmbeddingMatch<TextSegment>> matches) {
        return matches.stream().map(EmbeddingMatch::embeddingId).toList();
    }
}
