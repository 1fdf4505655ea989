package dev.flinkrag.langchain4j.elasticsearch;

import dev.flinkrag.langchain4j.SearchServerStore;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.elasticsearch.ElasticsearchEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Map;

/**
 * Elasticsearch through {@code langchain4j-elasticsearch} (kNN search; document retains are a delete by query).
 * This module brings {@code langchain4j-elasticsearch}.
 */
@PublicEvolving
public final class ElasticsearchStore extends SearchServerStore {

    private static final long serialVersionUID = 1L;

    private ElasticsearchStore(Builder builder) {
        super("Elasticsearch", builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The store from string options: {@code server-url}, {@code api-key(-env)} or {@code user} and {@code password(-env)}, {@code index}. */
    public static ElasticsearchStore fromOptions(Map<String, String> options) {
        return configure(builder(), "Elasticsearch", options).build();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return ElasticsearchEmbeddingStore.builder()
                .serverUrl(serverUrl)
                .apiKey(apiKey())
                .userName(user)
                .password(password())
                .indexName(index)
                .build();
    }

    /** {@code serverUrl} and {@code index} are required. */
    public static final class Builder extends SearchServerStore.Builder<Builder> {
        public ElasticsearchStore build() {
            return new ElasticsearchStore(this);
        }
    }
}
