package dev.flinkrag.testing;

import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.search.HybridSearchStore;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every hybrid (words + vector) search must do, written once for Lucene and pgvector: an exact term lifts its
 * entry above the nearest vector, a unique identifier only the word side finds stays in the top 3 although the
 * query's other words match many entries near the vector, filters apply inside both sides (k hits whenever k entries
 * match), and the query text is never parsed as syntax.
 */
public final class HybridSearchContract {

    private static final float[] QUERY = {1f, 0f, 0f, 0f};

    private HybridSearchContract() {}

    /** {@code flush} writes to the store under test and makes the write visible to its searches. */
    public static <S extends EmbeddingStore<TextSegment> & HybridSearchStore> void check(
            DocumentRecordsContract.Flush flush, S store) throws Exception {
        flush.apply(corpus());

        EmbeddingSearchRequest top3 = request(3).build();
        assertThat(ids(store.search(top3).matches())).startsWith("near", "exact");
        assertThat(ids(store.hybridSearch(top3, "which seal kit is XK4471?").matches()))
                .as("the entry naming the part comes first").startsWith("exact", "near");

        flush.apply(List.of(VectorOperation.upsert("unique", "error ZQ88127 seen once in the checkout log",
                new float[] {-1f, 0f, 0f, 0.01f}, Map.of("group", "far"))));
        assertThat(ids(store.search(request(100).build()).matches()))
                .as("the vector side alone does not find it").doesNotContain("unique");
        assertThat(ids(store.hybridSearch(top3, "maintenance note about valves and filters ZQ88127").matches()))
                .as("a unique identifier in exactly one entry, at k = 3").contains("unique");

        EmbeddingSearchRequest rare = request(5).filter(metadataKey("group").isEqualTo("rare")).build();
        assertThat(store.hybridSearch(rare, "XK4471 seal").matches()).as("pre-filtered on both sides").hasSize(5)
                .allSatisfy(match -> assertThat(match.embedded().metadata().getString("group")).isEqualTo("rare"));

        assertThat(store.hybridSearch(top3, "\"unbalanced (AND: -- OR* ~ ' \\ & | ! <-> :*").matches()).hasSize(3);
        assertThat(ids(store.hybridSearch(top3, "   ").matches())).as("no words: the vector ranking").startsWith("near");
    }

    /**
     * 200 entries: "near" is the closest vector but never names the part; "exact" names the part number and is the
     * second closest; the rest are spread around, and 10 of them (group "rare") are far away.
     */
    private static List<VectorOperation> corpus() {
        Random random = new Random(1);
        List<VectorOperation> operations = new ArrayList<>();
        operations.add(VectorOperation.upsert("near", "replacing a worn pump gasket in general",
                new float[] {1f, 0.01f, 0f, 0f}, Map.of("group", "common")));
        operations.add(VectorOperation.upsert("exact", "part XK4471 seal kit fits only the 2019 pump",
                new float[] {1f, 0.05f, 0f, 0f}, Map.of("group", "common")));
        for (int i = 0; i < 198; i++) {
            boolean rare = i < 10;
            float[] vector = rare ? new float[] {-1f, random.nextFloat(), random.nextFloat(), 0f}
                    : new float[] {random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
            operations.add(VectorOperation.upsert("doc-" + i, "maintenance note " + i + " about valves and filters",
                    vector, Map.of("group", rare ? "rare" : "common")));
        }
        return operations;
    }

    private static EmbeddingSearchRequest.EmbeddingSearchRequestBuilder request(int k) {
        return EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(QUERY)).maxResults(k);
    }

    private static List<String> ids(List<EmbeddingMatch<TextSegment>> matches) {
        return matches.stream().map(EmbeddingMatch::embeddingId).toList();
    }
}
