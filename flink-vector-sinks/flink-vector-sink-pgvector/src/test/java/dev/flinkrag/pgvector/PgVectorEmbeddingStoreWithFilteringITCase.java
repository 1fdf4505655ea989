package dev.flinkrag.pgvector;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;

import org.junit.jupiter.api.AfterEach;

/** LangChain4j's own contract for stores with metadata filters, unchanged, against the pgvector store. */
class PgVectorEmbeddingStoreWithFilteringITCase extends EmbeddingStoreWithFilteringIT {

    // a fresh database per test instance, as the suites expect an empty store
    private final PgVectorEmbeddingStore store = PgVectorStoreContract.openTemporaryStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return PgVectorStoreContract.MODEL;
    }

    @Override
    protected boolean supportsContains() {
        return true;
    }
}
