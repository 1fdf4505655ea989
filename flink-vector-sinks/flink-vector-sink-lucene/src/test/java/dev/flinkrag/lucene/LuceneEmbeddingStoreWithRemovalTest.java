package dev.flinkrag.lucene;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;

/** LangChain4j's own contract for removal, unchanged, against the Lucene store. */
class LuceneEmbeddingStoreWithRemovalTest extends EmbeddingStoreWithRemovalIT {

    private final LuceneEmbeddingStore store = LuceneStoreContract.openTemporaryStore();

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return LuceneStoreContract.MODEL;
    }
}
