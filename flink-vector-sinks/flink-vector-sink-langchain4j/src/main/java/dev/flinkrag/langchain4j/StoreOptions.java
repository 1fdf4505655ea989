package dev.flinkrag.langchain4j;

import dev.flinkrag.common.OptionSpec;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.Map;

/**
 * String options several ready-made stores share; each store's {@code fromOptions(Map)} reads them with its own.
 * Secrets come as a value or as the environment variable on the TaskManagers that holds it.
 */
@PublicEvolving
public final class StoreOptions {

    public static final ConfigOption<String> API_KEY = ConfigOptions.key("api-key")
            .stringType()
            .noDefaultValue()
            .withDescription("API key (prefer 'api-key-env'); never printed.");

    public static final ConfigOption<String> API_KEY_ENV = ConfigOptions.key("api-key-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the API key on the TaskManagers.");

    public static final ConfigOption<String> COLLECTION = ConfigOptions.key("collection")
            .stringType()
            .noDefaultValue()
            .withDescription("The collection entries are written to.");

    public static final ConfigOption<String> INDEX = ConfigOptions.key("index")
            .stringType()
            .noDefaultValue()
            .withDescription("The index entries are written to.");

    private StoreOptions() {}

    /** {@code options} checked against {@code spec}: unknown keys and bad values are refused, naming the key. */
    public static Configuration read(OptionSpec spec, Map<String, String> options) {
        Configuration values = spec.fromMap(options);
        spec.validate(values, false);
        return values;
    }
}
