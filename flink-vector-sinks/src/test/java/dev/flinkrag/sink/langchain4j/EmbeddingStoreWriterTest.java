package dev.flinkrag.sink.langchain4j;

import dev.flinkrag.testing.RandomOperations;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.HashMap;
import java.util.Map;

/** Every operation kind, document retains included, applied through LangChain4j's own store API. */
class EmbeddingStoreWriterTest {

    @RepeatedTest(20)
    void randomFlushesLeaveTheStoreAsApplyingEachOperationInOrder(RepetitionInfo repetition) throws Exception {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        EmbeddingStoreWriter writer = new EmbeddingStoreWriter(store, 4, "in-memory store");
        RandomOperations.checkStore(repetition.getCurrentRepetition(), 80, 4, writer::apply, () -> {
            Map<String, String> texts = new HashMap<>();
            for (EmbeddingMatch<TextSegment> match : store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(new float[] {1, 0, 0, 1})).maxResults(1000).minScore(0.0).build())
                    .matches()) {
                texts.put(match.embeddingId(), match.embedded().text());
            }
            return texts;
        });
    }
}
