package dev.flinkrag.common;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Objects;

/**
 * An API key or password: given directly, or the name of an environment variable read on the TaskManager, so
 * the secret need not travel in the job graph. Never printed.
 */
@PublicEvolving
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;
    private final String environmentVariable;

    private Secret(String value, String environmentVariable) {
        this.value = value;
        this.environmentVariable = environmentVariable;
    }

    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "secret"), null);
    }

    public static Secret fromEnvironment(String variable) {
        return new Secret(null, Objects.requireNonNull(variable, "environment variable"));
    }

    /**
     * The secret string options give: the value of {@code valueOption} (say {@code password}), else the variable
     * {@code environmentOption} names (say {@code password-env}); {@code null} when neither is set.
     */
    @Nullable
    public static Secret fromOptions(ReadableConfig options, ConfigOption<String> valueOption,
            ConfigOption<String> environmentOption) {
        return options.getOptional(valueOption).map(Secret::of)
                .orElse(options.getOptional(environmentOption).map(Secret::fromEnvironment).orElse(null));
    }

    /** The secret's value; {@code what} names it in the error when the variable is not set. */
    public String resolve(String what) {
        if (value != null) {
            return value;
        }
        String resolved = System.getenv(environmentVariable);
        if (resolved == null) {
            throw new IllegalStateException("environment variable " + environmentVariable + " (" + what
                    + ") is not set on this TaskManager");
        }
        return resolved;
    }

    @Override
    public String toString() {
        return value != null ? "<set>" : "$" + environmentVariable;
    }
}
