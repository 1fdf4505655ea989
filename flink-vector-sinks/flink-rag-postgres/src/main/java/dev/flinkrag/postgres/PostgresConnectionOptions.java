package dev.flinkrag.postgres;

import dev.flinkrag.common.Secret;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How the pgvector sink and store and the PostgreSQL source log in: one set of options, the same in Java and SQL.
 *
 * @param url e.g. {@code jdbc:postgresql://db:5432/rag}
 * @param username database user
 * @param password the password or the environment variable holding it on the TaskManagers; {@code null} for none
 */
@PublicEvolving
public record PostgresConnectionOptions(String url, String username, @Nullable Secret password) implements Serializable {

    public static final ConfigOption<String> URL = ConfigOptions.key("url")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC URL of the database, e.g. jdbc:postgresql://db:5432/rag.");

    public static final ConfigOption<String> USERNAME = ConfigOptions.key("username")
            .stringType()
            .noDefaultValue()
            .withDescription("Database user.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("password")
            .stringType()
            .noDefaultValue()
            .withDescription("Database password (prefer 'password-env'); never logged.");

    public static final ConfigOption<String> PASSWORD_ENV = ConfigOptions.key("password-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Environment variable holding the password on the TaskManagers.");

    public static final List<ConfigOption<?>> REQUIRED = List.of(URL, USERNAME);
    public static final List<ConfigOption<?>> OPTIONAL = List.of(PASSWORD, PASSWORD_ENV);

    public PostgresConnectionOptions {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url(…) must be a jdbc:postgresql: URL, was "
                    + (url == null ? "not set" : "'" + url + "'"));
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("username(…) is required");
        }
    }

    /** The options a builder was given; a bad one is named with {@code builder}, e.g. {@code "PgVectorOptions.builder()"}. */
    public static PostgresConnectionOptions of(String builder, String url, String username, @Nullable Secret password) {
        try {
            return new PostgresConnectionOptions(url, username, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(builder + "." + e.getMessage(), e);
        }
    }

    /** The options above from a SQL table's options or a job's arguments; a bad value names its key. */
    public static PostgresConnectionOptions fromConfiguration(ReadableConfig options) {
        String url = options.getOptional(URL).orElseThrow(() -> required(URL));
        String username = options.getOptional(USERNAME).orElseThrow(() -> required(USERNAME));
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("option 'url' must be a jdbc:postgresql: URL, was '" + url + "'");
        }
        return new PostgresConnectionOptions(url, username, Secret.fromOptions(options, PASSWORD, PASSWORD_ENV));
    }

    /** A connection with this library's driver; {@code applicationName} shows in {@code pg_stat_activity}. */
    public Connection connect(String applicationName) throws SQLException {
        return PostgresConnections.connect(url, PostgresConnections.properties(username, password, applicationName));
    }

    @Override
    public String toString() {
        return "url=" + url + ", username=" + username + ", password=" + (password == null ? "<none>" : password);
    }

    private static IllegalArgumentException required(ConfigOption<?> option) {
        return new IllegalArgumentException("option '" + option.key() + "' is required");
    }
}
