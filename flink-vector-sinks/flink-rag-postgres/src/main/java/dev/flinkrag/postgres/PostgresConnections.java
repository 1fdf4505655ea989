package dev.flinkrag.postgres;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How this library logs in to PostgreSQL, for the pgvector sink and the PostgreSQL document source alike: the
 * password given, or read from an environment variable on the machine that connects, and the driver this library
 * brings.
 */
@Internal
public final class PostgresConnections {

    private PostgresConnections() {}

    /**
     * User, password (if any) and the name the connection shows in {@code pg_stat_activity}.
     *
     * @param passwordEnvironmentVariable read when no password is given; named with {@code passwordEnvOption} in the
     *     error if it is not set
     */
    public static Properties properties(String username, @Nullable String password,
            @Nullable String passwordEnvironmentVariable, String passwordEnvOption, String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        String resolved = password;
        if (resolved == null && passwordEnvironmentVariable != null) {
            resolved = System.getenv(passwordEnvironmentVariable);
            if (resolved == null) {
                throw new IllegalStateException("environment variable " + passwordEnvironmentVariable
                        + " (option '" + passwordEnvOption + "') is not set on this machine");
            }
        }
        if (resolved != null) {
            properties.setProperty("password", resolved);
        }
        properties.setProperty("ApplicationName", applicationName);
        return properties;
    }

    /**
     * Connects with the PostgreSQL driver this library brings, not through {@code DriverManager}, which refuses a
     * driver registered by another class loader: a jar added with {@code ADD JAR} is loaded anew for each job, and
     * the second job found "no suitable driver" (seen through the SQL gateway).
     */
    public static Connection connect(String jdbcUrl, Properties properties) throws SQLException {
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("option 'url' is not a PostgreSQL JDBC URL");
        }
        return connection;
    }

    /** How a password was given, for a {@code toString}: never the password itself. */
    public static String describePassword(@Nullable String password, @Nullable String passwordEnvironmentVariable) {
        return password != null ? "<set>" : passwordEnvironmentVariable != null ? "$" + passwordEnvironmentVariable
                : "<none>";
    }
}
