package dev.flinkrag.langchain4j.milvus;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;
import dev.flinkrag.langchain4j.StoreOptions;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.milvus.MilvusEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.param.MetricType;

import java.util.Map;

/**
 * Milvus through {@code langchain4j-milvus}; the collection is created (cosine) when missing. Writes are read
 * back with strong consistency and searches return vectors, which metadata-only updates need. Needs {@code
 * dev.langchain4j:langchain4j-milvus}.
 */
@PublicEvolving
public final class MilvusStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> URI = ConfigOptions.key("uri")
            .stringType()
            .noDefaultValue()
            .withDescription("Milvus's URI.");

    public static final ConfigOption<String> TOKEN = ConfigOptions.key("token")
            .stringType()
            .noDefaultValue()
            .withDescription("Access token (prefer 'token-env'); never printed.");

    public static final ConfigOption<String> TOKEN_ENV = ConfigOptions.key("token-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the token on the TaskManagers.");

    public static final ConfigOption<String> DATABASE = ConfigOptions.key("database")
            .stringType()
            .defaultValue("default")
            .withDescription("The database.");

    public static final ConfigOption<Integer> DIMENSION = ConfigOptions.key("dimension")
            .intType()
            .noDefaultValue()
            .withDescription("Vector size of a collection created when missing.");

    private static final OptionSpec OPTIONS = OptionSpec.of("MilvusStore.builder()")
            .required(URI, "uri")
            .option(TOKEN, "token")
            .option(TOKEN_ENV, "token")
            .option(DATABASE, "database")
            .required(StoreOptions.COLLECTION, "collection")
            .required(DIMENSION, "dimension", dimension -> dimension >= 1, "at least 1");

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

    /** The store from string options: {@code uri}, {@code token(-env)}, {@code database}, {@code collection}, {@code dimension}. */
    public static MilvusStore fromOptions(Map<String, String> options) {
        Configuration values = StoreOptions.read(OPTIONS, options);
        return builder().uri(values.get(URI)).token(Secret.fromOptions(values, TOKEN, TOKEN_ENV))
                .database(values.get(DATABASE)).collection(values.get(StoreOptions.COLLECTION))
                .dimension(values.get(DIMENSION)).build();
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
