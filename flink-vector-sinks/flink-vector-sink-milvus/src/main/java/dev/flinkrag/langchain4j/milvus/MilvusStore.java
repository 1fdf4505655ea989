package dev.flinkrag.langchain4j.milvus;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.milvus.MilvusEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.param.MetricType;

/**
 * Milvus through {@code langchain4j-milvus}; the collection is created (cosine) when missing. Writes are read
 * back with strong consistency and searches return vectors, which metadata-only updates need. Needs {@code
 * dev.langchain4j:langchain4j-milvus}.
 */
@PublicEvolving
public final class MilvusStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    private final String uri;
    private final Secret token;
    private final String database;
    private final String collection;
    private final int dimension;

    private MilvusStore(Builder builder) {
        this.uri = Required.text("Milvus", "uri", builder.uri);
        this.token = builder.token;
        this.database = builder.database;
        this.collection = Required.text("Milvus", "collection", builder.collection);
        this.dimension = Required.positive("Milvus", "dimension", builder.dimension);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return MilvusEmbeddingStore.builder()
                .uri(uri)
                .token(token == null ? null : token.resolve("Milvus token"))
                .databaseName(database)
                .collectionName(collection)
                .dimension(dimension)
                .metricType(MetricType.COSINE)
                .consistencyLevel(ConsistencyLevelEnum.STRONG)
                .retrieveEmbeddingsOnSearch(true)
                .autoFlushOnInsert(false)
                .build();
    }

    @Override
    public String toString() {
        return "Milvus " + uri + "/" + database + "/" + collection + (token == null ? "" : " token=" + token);
    }

    /** {@code uri}, {@code collection} and {@code dimension} are required. */
    public static final class Builder {
        private String uri;
        private Secret token;
        private String database = "default";
        private String collection;
        private int dimension;

        /** e.g. {@code http://milvus:19530}. */
        public Builder uri(String value) {
            this.uri = value;
            return this;
        }

        /** An API key, or {@code user:password}. */
        public Builder token(Secret value) {
            this.token = value;
            return this;
        }

        public Builder database(String name) {
            this.database = name;
            return this;
        }

        public Builder collection(String name) {
            this.collection = name;
            return this;
        }

        public Builder dimension(int value) {
            this.dimension = value;
            return this;
        }

        public MilvusStore build() {
            return new MilvusStore(this);
        }
    }
}
