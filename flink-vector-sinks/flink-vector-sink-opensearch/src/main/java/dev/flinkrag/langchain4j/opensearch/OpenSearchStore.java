package dev.flinkrag.langchain4j.opensearch;

import dev.flinkrag.langchain4j.SearchServerStore;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.opensearch.OpenSearchEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Map;

/**
 * OpenSearch through {@code langchain4j-opensearch} 1.10.0-beta18, which cannot remove by filter: document retains
 * fall back to a filtered search for the document's entries and a removal by id. Needs {@code
 * dev.langchain4j:langchain4j-opensearch}.
 */
@PublicEvolving
public final class OpenSearchStore extends SearchServerStore {

    private static final long serialVersionUID = 1L;

    private OpenSearchStore(Builder builder) {
        super("OpenSearch", builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The store from string options: {@code server-url}, {@code api-key(-env)} or {@code user} and {@code password(-env)}, {@code index}. */
    public static OpenSearchStore fromOptions(Map<String, String> options) {
        return configure(builder(), "OpenSearch", options).build();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return OpenSearchEmbeddingStore.builder()
                .serverUrl(serverUrl)
                .apiKey(apiKey())
                .userName(user)
                .password(password())
                .indexName(index)
                .build();
    }

    /** {@code serverUrl} and {@code index} are required. */
    public static final class Builder extends SearchServerStore.Builder<Builder> {
        public OpenSearchStore build() {
            return new OpenSearchStore(this);
        }
    }
}
