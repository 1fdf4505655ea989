package dev.flinkrag.sink.langchain4j.stores;

import dev.flinkrag.sink.langchain4j.EmbeddingStoreProvider;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.elasticsearch.ElasticsearchEmbeddingStore;

/**
 * Elasticsearch through {@code langchain4j-elasticsearch} (kNN search; document retains are a delete by query).
 * Authenticate with an API key or a user and password. Needs {@code dev.langchain4j:langchain4j-elasticsearch}.
 */
public final class ElasticsearchStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    private final String serverUrl;
    private final Secret apiKey;
    private final String user;
    private final Secret password;
    private final String index;

    private ElasticsearchStore(Builder builder) {
        this.serverUrl = Required.text("Elasticsearch", "serverUrl", builder.serverUrl);
        this.apiKey = builder.apiKey;
        this.user = builder.user;
        this.password = builder.password;
        this.index = Required.text("Elasticsearch", "index", builder.index);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return ElasticsearchEmbeddingStore.builder()
                .serverUrl(serverUrl)
                .apiKey(apiKey == null ? null : apiKey.resolve("Elasticsearch apiKey"))
                .userName(user)
                .password(password == null ? null : password.resolve("Elasticsearch password"))
                .indexName(index)
                .build();
    }

    @Override
    public String toString() {
        return "Elasticsearch " + serverUrl + "/" + index + (apiKey == null ? "" : " apiKey=" + apiKey)
                + (user == null ? "" : " user=" + user + " password=" + password);
    }

    /** {@code serverUrl} and {@code index} are required. */
    public static final class Builder {
        private String serverUrl;
        private Secret apiKey;
        private String user;
        private Secret password;
        private String index;

        public Builder serverUrl(String value) {
            this.serverUrl = value;
            return this;
        }

        public Builder apiKey(Secret value) {
            this.apiKey = value;
            return this;
        }

        public Builder user(String name, Secret secret) {
            this.user = name;
            this.password = secret;
            return this;
        }

        public Builder index(String name) {
            this.index = name;
            return this;
        }

        public ElasticsearchStore build() {
            return new ElasticsearchStore(this);
        }
    }
}
