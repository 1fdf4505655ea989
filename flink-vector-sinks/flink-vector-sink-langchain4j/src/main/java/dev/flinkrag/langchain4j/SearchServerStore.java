package dev.flinkrag.langchain4j;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.common.Secret;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.Map;


/** What the Elasticsearch and OpenSearch stores share: a server URL, credentials and an index. */
@Internal
public abstract class SearchServerStore implements EmbeddingStoreProvider {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> SERVER_URL = ConfigOptions.key("server-url")
            .stringType()
            .noDefaultValue()
            .withDescription("The server's URL, e.g. https://search:9200.");

    public static final ConfigOption<String> USER = ConfigOptions.key("user")
            .stringType()
            .noDefaultValue()
            .withDescription("User name, with 'password' or 'password-env'; or authenticate with an API key.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("password")
            .stringType()
            .noDefaultValue()
            .withDescription("The user's password (prefer 'password-env'); never printed.");

    public static final ConfigOption<String> PASSWORD_ENV = ConfigOptions.key("password-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the password on the TaskManagers.");

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

    /**
     * {@code builder} set from string options: {@code server-url}, {@code api-key(-env)}, {@code user},
     * {@code password(-env)}, {@code index}; {@code product} names the builder in messages.
     */
    protected static <B extends Builder<B>> B configure(B builder, String product, Map<String, String> options) {
        OptionSpec spec = OptionSpec.of(product + "Store.builder()")
                .required(SERVER_URL, "serverUrl")
                .option(StoreOptions.API_KEY, "apiKey")
                .option(StoreOptions.API_KEY_ENV, "apiKey")
                .option(USER, "user")
                .option(PASSWORD, "user")
                .option(PASSWORD_ENV, "user")
                .required(StoreOptions.INDEX, "index");
        Configuration values = StoreOptions.read(spec, options);
        builder.serverUrl(values.get(SERVER_URL)).index(values.get(StoreOptions.INDEX));
        Secret apiKey = Secret.fromOptions(values, StoreOptions.API_KEY, StoreOptions.API_KEY_ENV);
        if (apiKey != null) {
            builder.apiKey(apiKey);
        }
        values.getOptional(USER).ifPresent(user -> builder.user(user, Secret.fromOptions(values, PASSWORD, PASSWORD_ENV)));
        return builder;
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
