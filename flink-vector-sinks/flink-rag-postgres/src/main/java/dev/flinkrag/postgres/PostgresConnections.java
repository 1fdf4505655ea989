package dev.flinkrag.postgres;

import dev.flinkrag.common.Secret;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * How this library logs in to PostgreSQL, for the pgvector sink and the PostgreSQL document source alike: the
 * password given, or read from an environment variable on the machine that connects, and the driver this library
 * brings.
 */
@Internal
public final class PostgresConnections {

    private PostgresConnections() {}

    /** User, password (if any) and the name the connection shows in {@code pg_stat_activity}. */
    public static Properties properties(String username, @Nullable Secret password, String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        if (password != null) {
            properties.setProperty("password", password.resolve("the database password"));
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

    /** SQL statements to run under a lock. */
    @FunctionalInterface
    public interface Ddl {
        void run(Statement statement) throws SQLException;
    }

    /**
     * Runs DDL that parallel writers may race on ({@code CREATE TABLE IF NOT EXISTS} is not safe against a concurrent
     * one: PostgreSQL fails the second on its catalog's unique index) in one transaction holding an advisory lock named
     * after {@code table}: one creates, the others wait for it and find it done.
     */
    public static void runSerialized(Connection connection, String table, Ddl ddl) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('flink-rag:' || '" + table.replace("'", "''")
                    + "'))");
            ddl.run(statement);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
