package dev.flinkrag.langchain4j;

import dev.flinkrag.langchain4j.chroma.ChromaStore;
import dev.flinkrag.testing.RandomOperations;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation kind, document retains included, applied through LangChain4j's own store API: its in-memory
 * store, a store that cannot remove by filter, and Chroma's real client against Chroma's HTTP API on loopback.
 */
class EmbeddingStoreWriterITCase {

    private static FakeChromaServer chroma;

    @BeforeAll
    static void startChroma() throws Exception {
        chroma = new FakeChromaServer();
    }

    @AfterAll
    static void stopChroma() {
        chroma.close();
    }

    @RepeatedTest(20)
    void randomFlushesLeaveTheStoreAsApplyingEachOperationInOrder(RepetitionInfo repetition) throws Exception {
        check(repetition.getCurrentRepetition(), new InMemoryEmbeddingStore<>());
    }

    @RepeatedTest(10)
    void storesThatCannotRemoveByFilterFindTheDocumentsEntriesBySearch(RepetitionInfo repetition) throws Exception {
        check(repetition.getCurrentRepetition(), new WithoutFilteredRemoval(new InMemoryEmbeddingStore<>()));
    }

    @RepeatedTest(10)
    void chromaOverItsHttpApi(RepetitionInfo repetition) throws Exception {
        int filteredDeletesBefore = chroma.filteredDeletes.get();
        check(repetition.getCurrentRepetition(), ChromaStore.builder()
                .baseUrl(chroma.url()).collection("writer-" + repetition.getCurrentRepetition()).build().create());
        assertThat(chroma.filteredDeletes.get()).as("retains sent as Chroma deletes with a where filter")
                .isGreaterThan(filteredDeletesBefore);
    }

    private static void check(long seed, EmbeddingStore<TextSegment> store) throws Exception {
        EmbeddingStoreWriter writer = new EmbeddingStoreWriter(store, 4, "store under test");
        RandomOperations.checkStore(seed, 80, 4, writer::apply, () -> {
            Map<String, String> texts = new HashMap<>();
            for (EmbeddingMatch<TextSegment> match : store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(new float[] {1, 0, 0, 1})).maxResults(1000).minScore(0.0).build())
                    .matches()) {
                assertThat(texts.put(match.embeddingId(), match.embedded().text())).as("one entry per id").isNull();
            }
            return texts;
        });
    }

    /** A store whose LangChain4j module has no {@code removeAll(Filter)}, as OpenSearch's. */
    private record WithoutFilteredRemoval(EmbeddingStore<TextSegment> store) implements EmbeddingStore<TextSegment> {
        @Override
        public void removeAll(Filter filter) {
            throw new UnsupportedFeatureException("Not supported yet.");
        }

        @Override
        public void removeAll(Collection<String> ids) {
            store.removeAll(ids);
        }

        @Override
        public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
            store.addAll(ids, embeddings, segments);
        }

        @Override
        public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
            return store.search(request);
        }

        @Override
        public String add(Embedding embedding) {
            return store.add(embedding);
        }

        @Override
        public void add(String id, Embedding embedding) {
            store.add(id, embedding);
        }

        @Override
        public String add(Embedding embedding, TextSegment segment) {
            return store.add(embedding, segment);
        }

        @Override
        public List<String> addAll(List<Embedding> embeddings) {
            return store.addAll(embeddings);
        }
    }
}
