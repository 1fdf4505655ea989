package dev.flinkrag.langchain4j.weaviate;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.weaviate.WeaviateEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import java.util.ArrayList;
import java.util.List;

/**
 * Weaviate through {@code langchain4j-weaviate}. Weaviate stores only the metadata keys it is told about: give
 * every key the converter writes ({@code doc_id}, {@code ordinal} and the documents' own); the sink's id key
 * {@code flink_rag_id} is added. Ids must be UUIDs. Needs {@code dev.langchain4j:langchain4j-weaviate}.
 */
@PublicEvolving
public final class WeaviateStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    private final String scheme;
    private final String host;
    private final int port;
    private final Secret apiKey;
    private final String objectClass;
    private final ArrayList<String> metadataKeys;

    private WeaviateStore(Builder builder) {
        this.scheme = Required.text("Weaviate", "scheme", builder.scheme);
        this.host = Required.text("Weaviate", "host", builder.host);
        this.port = Required.positive("Weaviate", "port", builder.port);
        this.apiKey = builder.apiKey;
        this.objectClass = Required.text("Weaviate", "objectClass", builder.objectClass);
        this.metadataKeys = new ArrayList<>(builder.metadataKeys);
        if (!metadataKeys.contains("flink_rag_id")) {
            metadataKeys.add("flink_rag_id");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return WeaviateEmbeddingStore.builder()
                .scheme(scheme)
                .host(host)
                .port(port)
                .apiKey(apiKey == null ? null : apiKey.resolve("Weaviate apiKey"))
                .objectClass(objectClass)
                .avoidDups(false)
                .consistencyLevel("ALL")
                .metadataKeys(metadataKeys)
                .build();
    }

    @Override
    public String toString() {
        return "Weaviate " + scheme + "://" + host + ":" + port + "/" + objectClass
                + (apiKey == null ? "" : " apiKey=" + apiKey);
    }

    /** {@code host}, {@code objectClass} and the metadata keys are required. */
    public static final class Builder {
        private String scheme = "https";
        private String host;
        private int port = 443;
        private Secret apiKey;
        private String objectClass;
        private List<String> metadataKeys = List.of();

        public Builder scheme(String value) {
            this.scheme = value;
            return this;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder apiKey(Secret value) {
            this.apiKey = value;
            return this;
        }

        /** The Weaviate class (collection), capitalised as Weaviate requires. */
        public Builder objectClass(String value) {
            this.objectClass = value;
            return this;
        }

        public Builder metadataKeys(List<String> keys) {
            this.metadataKeys = List.copyOf(keys);
            return this;
        }

        public WeaviateStore build() {
            if (metadataKeys.isEmpty()) {
                throw new IllegalArgumentException("WeaviateStore.builder().metadataKeys(…) is required: Weaviate drops "
                        + "metadata keys it is not told about (the pipeline writes doc_id, ordinal and the documents' own)");
            }
            return new WeaviateStore(this);
        }
    }
}
