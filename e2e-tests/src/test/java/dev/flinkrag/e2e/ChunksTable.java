package dev.flinkrag.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** The pgvector chunks table a job writes ({@code chunks} by default), read with plain SQL as a user would check it. */
final class ChunksTable {

    private static final Duration PATIENCE = Duration.ofSeconds(180);

    private final String url;
    private final String table;

    ChunksTable(String url) {
        this(url, "chunks");
    }

    ChunksTable(String url, String table) {
        this.url = url;
        this.table = table;
    }

    String url() {
        return url;
    }

    /** Document id to its number of chunks (none before the sink created the table). */
    Map<String, Long> chunksPerDocument() throws SQLException {
        if (rows("SELECT 'chunks', 1 WHERE to_regclass('" + table + "') IS NOT NULL").isEmpty()) {
            return Map.of();
        }
        return rows("SELECT metadata->>'doc_id', count(*) FROM " + table + " GROUP BY 1");
    }

    long chunksWithTextLike(String pattern) throws SQLException {
        return rows("SELECT 'matches', count(*) FROM " + table + " WHERE text LIKE ?", pattern)
                .getOrDefault("matches", 0L);
    }

    /** Runs a query whose rows are (text, number), as a map. */
    Map<String, Long> rows(String query, String... parameters) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement statement = prepare(connection, query, parameters);
                ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.put(result.getString(1), result.getLong(2));
            }
        }
        return rows;
    }

    void execute(String sql, String... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.execute();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, String... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setString(i + 1, parameters[i]);
        }
        return statement;
    }

    /** Waits until {@code condition} holds; fails with the table's state, {@code expected} and the cluster's logs. */
    void await(FlinkSessionCluster cluster, Callable<Boolean> condition, Callable<String> expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the index did not catch up; chunks per document: " + chunksPerDocument()
                + ", expected " + expected.call() + "\n" + cluster.logs());
    }
}
