package dev.flinkrag.langchain4j.qdrant;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.qdrant.QdrantEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Qdrant (gRPC, port 6334) through {@code langchain4j-qdrant}; the collection must exist with the vectors' size
 * and ids must be UUIDs (the pipeline's chunk ids are). Needs {@code dev.langchain4j:langchain4j-qdrant}.
 */
@PublicEvolving
public final class QdrantStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final boolean useTls;
    private final Secret apiKey;
    private final String collection;

    private QdrantStore(Builder builder) {
        this.host = Required.text("Qdrant", "host", builder.host);
        this.port = Required.positive("Qdrant", "port", builder.port);
        this.useTls = builder.useTls;
        this.apiKey = builder.apiKey;
        this.collection = Required.text("Qdrant", "collection", builder.collection);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return QdrantEmbeddingStore.builder()
                .host(host)
                .port(port)
                .useTls(useTls)
                .apiKey(apiKey == null ? null : apiKey.resolve("Qdrant apiKey"))
                .collectionName(collection)
                .build();
    }

    @Override
    public String toString() {
        return "Qdrant " + host + ":" + port + "/" + collection + (apiKey == null ? "" : " apiKey=" + apiKey);
    }

    /** {@code host} and {@code collection} are required. */
    public static final class Builder {
        private String host;
        private int port = 6334;
        private boolean useTls;
        private Secret apiKey;
        private String collection;

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder useTls(boolean value) {
            this.useTls = value;
            return this;
        }

        public Builder apiKey(Secret value) {
            this.apiKey = value;
            return this;
        }

        public Builder collection(String name) {
            this.collection = name;
            return this;
        }

        public QdrantStore build() {
            return new QdrantStore(this);
        }
    }
}
