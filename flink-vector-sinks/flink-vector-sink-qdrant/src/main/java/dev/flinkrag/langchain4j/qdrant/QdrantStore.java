package dev.flinkrag.langchain4j.qdrant;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;
import dev.flinkrag.langchain4j.StoreOptions;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.qdrant.QdrantEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.Map;

/**
 * Qdrant (gRPC, port 6334) through {@code langchain4j-qdrant}; the collection must exist with the vectors' size
 * and ids must be UUIDs (the pipeline's chunk ids are). This module brings {@code langchain4j-qdrant}.
 */
@PublicEvolving
public final class QdrantStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> HOST = ConfigOptions.key("host")
            .stringType()
            .noDefaultValue()
            .withDescription("Qdrant's host.");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("port")
            .intType()
            .defaultValue(6334)
            .withDescription("Qdrant's gRPC port.");

    public static final ConfigOption<Boolean> USE_TLS = ConfigOptions.key("use-tls")
            .booleanType()
            .defaultValue(false)
            .withDescription("Connect with TLS.");

    private static final OptionSpec OPTIONS = OptionSpec.of("QdrantStore.builder()")
            .required(HOST, "host")
            .option(PORT, "port", port -> port >= 1, "at least 1")
            .option(USE_TLS, "useTls")
            .option(StoreOptions.API_KEY, "apiKey")
            .option(StoreOptions.API_KEY_ENV, "apiKey")
            .required(StoreOptions.COLLECTION, "collection");

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

    /** The store from string options: {@code host}, {@code port}, {@code use-tls}, {@code api-key(-env)}, {@code collection}. */
    public static QdrantStore fromOptions(Map<String, String> options) {
        Configuration values = StoreOptions.read(OPTIONS, options);
        return builder().host(values.get(HOST)).port(values.get(PORT)).useTls(values.get(USE_TLS))
                .apiKey(Secret.fromOptions(values, StoreOptions.API_KEY, StoreOptions.API_KEY_ENV))
                .collection(values.get(StoreOptions.COLLECTION)).build();
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
