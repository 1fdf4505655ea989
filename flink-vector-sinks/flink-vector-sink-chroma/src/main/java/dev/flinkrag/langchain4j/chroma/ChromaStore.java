package dev.flinkrag.langchain4j.chroma;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;
import dev.flinkrag.langchain4j.StoreOptions;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.chroma.ChromaApiVersion;
import dev.langchain4j.store.embedding.chroma.ChromaEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.util.Map;

/**
 * Chroma (HTTP API v2) through {@code langchain4j-chroma}; the collection is created (cosine) when missing.
 * This module brings {@code langchain4j-chroma}.
 */
@PublicEvolving
public final class ChromaStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> BASE_URL = ConfigOptions.key("base-url")
            .stringType()
            .noDefaultValue()
            .withDescription("Chroma's URL, e.g. http://chroma:8000.");

    public static final ConfigOption<String> TENANT = ConfigOptions.key("tenant")
            .stringType()
            .defaultValue("default_tenant")
            .withDescription("The tenant.");

    public static final ConfigOption<String> DATABASE = ConfigOptions.key("database")
            .stringType()
            .defaultValue("default_database")
            .withDescription("The database.");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Timeout of one request.");

    private static final OptionSpec OPTIONS = OptionSpec.of("ChromaStore.builder()")
            .required(BASE_URL, "baseUrl")
            .option(TENANT, "tenant")
            .option(DATABASE, "database")
            .required(StoreOptions.COLLECTION, "collection")
            .option(TIMEOUT, "timeout", timeout -> !timeout.isNegative() && !timeout.isZero(), "positive");

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

    /** The store from string options: {@code base-url}, {@code tenant}, {@code database}, {@code collection}, {@code timeout}. */
    public static ChromaStore fromOptions(Map<String, String> options) {
        Configuration values = StoreOptions.read(OPTIONS, options);
        return builder().baseUrl(values.get(BASE_URL)).tenant(values.get(TENANT)).database(values.get(DATABASE))
                .collection(values.get(StoreOptions.COLLECTION)).timeout(values.get(TIMEOUT)).build();
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
