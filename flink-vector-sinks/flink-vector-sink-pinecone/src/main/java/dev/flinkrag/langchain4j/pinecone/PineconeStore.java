package dev.flinkrag.langchain4j.pinecone;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.Required;
import dev.flinkrag.langchain4j.StoreOptions;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.pinecone.PineconeEmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.Map;

/**
 * Pinecone through {@code langchain4j-pinecone}; the index must exist. {@code langchain4j-pinecone}
 * 1.13.0-beta23 (the newest that links with LangChain4j 1.19) cannot remove entries, so this sink takes inserts
 * and metadata updates only: a delete or a document retain fails the job saying so. Needs {@code
 * dev.langchain4j:langchain4j-pinecone}.
 */
@PublicEvolving
public final class PineconeStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> NAMESPACE = ConfigOptions.key("namespace")
            .stringType()
            .defaultValue("")
            .withDescription("The namespace inside the index; empty for the default one.");

    private static final OptionSpec OPTIONS = OptionSpec.of("PineconeStore.builder()")
            .option(StoreOptions.API_KEY, "apiKey")
            .option(StoreOptions.API_KEY_ENV, "apiKey")
            .required(StoreOptions.INDEX, "index")
            .option(NAMESPACE, "namespace");

    private final Secret apiKey;
    private final String index;
    private final String namespace;

    private PineconeStore(Builder builder) {
        if (builder.apiKey == null) {
            throw new IllegalArgumentException("PineconeStore.builder().apiKey(…) is required");
        }
        this.apiKey = builder.apiKey;
        this.index = Required.text("Pinecone", "index", builder.index);
        this.namespace = builder.namespace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The store from string options: {@code api-key(-env)}, {@code index}, {@code namespace}. */
    public static PineconeStore fromOptions(Map<String, String> options) {
        Configuration values = StoreOptions.read(OPTIONS, options);
        return builder().apiKey(Secret.fromOptions(values, StoreOptions.API_KEY, StoreOptions.API_KEY_ENV))
                .index(values.get(StoreOptions.INDEX)).namespace(values.get(NAMESPACE)).build();
    }

    @Override
    public EmbeddingStore<TextSegment> create() {
        return PineconeEmbeddingStore.builder()
                .apiKey(apiKey.resolve("Pinecone apiKey"))
                .index(index)
                .nameSpace(namespace)
                .build();
    }

    @Override
    public String toString() {
        return "Pinecone " + index + "/" + namespace + " apiKey=" + apiKey;
    }

    /** {@code apiKey} and {@code index} are required. */
    public static final class Builder {
        private Secret apiKey;
        private String index;
        private String namespace = "";

        public Builder apiKey(Secret value) {
            this.apiKey = value;
            return this;
        }

        public Builder index(String name) {
            this.index = name;
            return this;
        }

        public Builder namespace(String name) {
            this.namespace = name;
            return this;
        }

        public PineconeStore build() {
            return new PineconeStore(this);
        }
    }
}
