package dev.flinkrag.langchain4j.weaviate;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;
import dev.flinkrag.langchain4j.StoreOptions;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.weaviate.WeaviateEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weaviate through {@code langchain4j-weaviate}. Weaviate stores only the metadata keys it is told about: give
 * every key the converter writes ({@code doc_id}, {@code ordinal} and the documents' own); the sink's id key
 * {@code flink_rag_id} is added. Ids must be UUIDs. This module brings {@code langchain4j-weaviate}.
 */
@PublicEvolving
public final class WeaviateStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> SCHEME = ConfigOptions.key("scheme")
            .stringType()
            .defaultValue("https")
            .withDescription("http or https.");

    public static final ConfigOption<String> HOST = ConfigOptions.key("host")
            .stringType()
            .noDefaultValue()
            .withDescription("Weaviate's host.");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("port")
            .intType()
            .defaultValue(443)
            .withDescription("Weaviate's port.");

    public static final ConfigOption<String> OBJECT_CLASS = ConfigOptions.key("object-class")
            .stringType()
            .noDefaultValue()
            .withDescription("The object class entries are written as.");

    public static final ConfigOption<List<String>> METADATA_KEYS = ConfigOptions.key("metadata-keys")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Metadata keys to keep, separated by ';' (Weaviate drops the others).");

    private static final OptionSpec OPTIONS = OptionSpec.of("WeaviateStore.builder()")
            .option(SCHEME, "scheme")
            .required(HOST, "host")
            .option(PORT, "port", port -> port >= 1, "at least 1")
            .option(StoreOptions.API_KEY, "apiKey")
            .option(StoreOptions.API_KEY_ENV, "apiKey")
            .required(OBJECT_CLASS, "objectClass")
            .required(METADATA_KEYS, "metadataKeys", keys -> !keys.isEmpty(), "at least one key");

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

    /** The store from string options: {@code scheme}, {@code host}, {@code port}, {@code api-key(-env)}, {@code object-class}, {@code metadata-keys}. */
    public static WeaviateStore fromOptions(Map<String, String> options) {
        Configuration values = StoreOptions.read(OPTIONS, options);
        return builder().scheme(values.get(SCHEME)).host(values.get(HOST)).port(values.get(PORT))
                .apiKey(Secret.fromOptions(values, StoreOptions.API_KEY, StoreOptions.API_KEY_ENV))
                .objectClass(values.get(OBJECT_CLASS)).metadataKeys(values.get(METADATA_KEYS)).build();
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
