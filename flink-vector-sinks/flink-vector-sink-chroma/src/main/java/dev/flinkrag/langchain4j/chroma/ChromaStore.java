package dev.flinkrag.langchain4j.chroma;

import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.chroma.ChromaApiVersion;
import dev.langchain4j.store.embedding.chroma.ChromaEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import java.time.Duration;

/**
 * Chroma (HTTP API v2) through {@code langchain4j-chroma}; the collection is created (cosine) when missing.
 * Needs {@code dev.langchain4j:langchain4j-chroma} on the job's classpath.
 */
@PublicEvolving
public final class ChromaStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String tenant;
    private final String database;
    private final String collection;
    private final Duration timeout;

    private ChromaStore(Builder builder) {
        this.baseUrl = Required.text("Chroma", "baseUrl", builder.baseUrl);
        this.tenant = builder.tenant;
        this.database = builder.database;
        this.collection = Required.text("Chroma", "collection", builder.collection);
        this.timeout = builder.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return ChromaEmbeddingStore.builder()
                .apiVersion(ChromaApiVersion.V2)
                .baseUrl(baseUrl)
                .tenantName(tenant)
                .databaseName(database)
                .collectionName(collection)
                .timeout(timeout)
                .build();
    }

    @Override
    public String toString() {
        return "Chroma " + baseUrl + " " + tenant + "/" + database + "/" + collection;
    }

    /** {@code baseUrl} and {@code collection} are required. */
    public static final class Builder {
        private String baseUrl;
        private String tenant = "default_tenant";
        private String database = "default_database";
        private String collection;
        private Duration timeout = Duration.ofSeconds(30);

        public Builder baseUrl(String url) {
            this.baseUrl = url;
            return this;
        }

        public Builder tenant(String name) {
            this.tenant = name;
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

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public ChromaStore build() {
            return new ChromaStore(this);
        }
    }
}
