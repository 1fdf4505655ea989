package dev.flinkrag.langchain4j;

import dev.flinkrag.common.Secret;

import org.apache.flink.annotation.Internal;


/** What the Elasticsearch and OpenSearch stores share: a server URL, credentials and an index. */
@Internal
public abstract class SearchServerStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    private final String product;
    protected final String serverUrl;
    private final Secret apiKey;
    protected final String user;
    private final Secret password;
    protected final String index;

    protected SearchServerStore(String product, Builder<?> builder) {
        this.product = product;
        this.serverUrl = Required.text(product, "serverUrl", builder.serverUrl);
        this.apiKey = builder.apiKey;
        this.user = builder.user;
        this.password = builder.password;
        this.index = Required.text(product, "index", builder.index);
    }

    protected String apiKey() {
        return apiKey == null ? null : apiKey.resolve(product + " apiKey");
    }

    protected String password() {
        return password == null ? null : password.resolve(product + " password");
    }

    @Override
    public String toString() {
        return product + " " + serverUrl + "/" + index + (apiKey == null ? "" : " apiKey=" + apiKey)
                + (user == null ? "" : " user=" + user + " password=" + password);
    }

    /** {@code serverUrl} and {@code index} are required; authenticate with an API key or a user and password. */
    @SuppressWarnings("unchecked")
    public abstract static class Builder<B extends Builder<B>> {
        private String serverUrl;
        private Secret apiKey;
        private String user;
        private Secret password;
        private String index;

        public B serverUrl(String value) {
            this.serverUrl = value;
            return (B) this;
        }

        public B apiKey(Secret value) {
            this.apiKey = value;
            return (B) this;
        }

        public B user(String name, Secret secret) {
            this.user = name;
            this.password = secret;
            return (B) this;
        }

        public B index(String name) {
            this.index = name;
            return (B) this;
        }
    }
}
