package dev.flinkrag.langchain4j.pinecone;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.pinecone.PineconeEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Pinecone through {@code langchain4j-pinecone}; the index must exist. {@code langchain4j-pinecone}
 * 1.13.0-beta23 (the newest that links with LangChain4j 1.19) cannot remove entries, so this sink takes inserts
 * and metadata updates only: a delete or a document retain fails the job saying so. Needs {@code
 * dev.langchain4j:langchain4j-pinecone}.
 */
@PublicEvolving
public final class PineconeStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    private final Secret apiKey;
    private final String index;
    private final String namespace;

    private PineconeStore(Builder builder) {
        if (builder.apiKey == null) {
            throw new IllegalArgumentException("PineconeStore.builder().apiKey(…) is required");
        }
        this.apiKey = builder.apiKey;
        this.index = Required.text("Pinecone", "index", builder.index);
        this.namespace = builder.namespace;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return PineconeEmbeddingStore.builder()
                .apiKey(apiKey.resolve("Pinecone apiKey"))
                .index(index)
                .nameSpace(namespace)
                .build();
    }

    @Override
    public String toString() {
        return "Pinecone " + index + "/" + namespace + " apiKey=" + apiKey;
    }

    /** {@code apiKey} and {@code index} are required. */
    public static final class Builder {
        private Secret apiKey;
        private String index;
        private String namespace = "";

        public Builder apiKey(Secret value) {
            this.apiKey = value;
            return this;
        }

        public Builder index(String name) {
            this.index = name;
            return this;
        }

        public Builder namespace(String name) {
            this.namespace = name;
            return this;
        }

        public PineconeStore build() {
            return new PineconeStore(this);
        }
    }
}
