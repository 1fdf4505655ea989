package dev.flinkrag.lucene;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;

/** LangChain4j's own contract for stores with metadata filters, unchanged, against the Lucene store. */
class LuceneEmbeddingStoreWithFilteringTest extends EmbeddingStoreWithFilteringIT {

    private final LuceneEmbeddingStore store = LuceneStoreContract.openTemporaryStore();

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return LuceneStoreContract.MODEL;
    }

    @Override
    protected boolean supportsContains() {
        return true;
    }
}
