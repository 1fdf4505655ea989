package dev.flinkrag.pgvector;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/** Reads a sink table back for comparison, in a form that compares by value. */
final class PgVectorTables {

    /** One row: text, metadata as JSON text (jsonb's normalised form), vector as pgvector prints it. */
    record Row(String text, String metadata, String vector) {}

    private PgVectorTables() {}

    static Map<String, Row> read(String url, String table) throws SQLException {
        Map<String, Row> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT id, text, metadata::text, embedding::text FROM " + table)) {
            while (result.next()) {
                rows.put(result.getString(1), new Row(result.getString(2), result.getString(3), result.getString(4)));
            }
        }
        return rows;
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The vector as pgvector prints a {@code vector} value. */
    static String printed(float[] vector) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < vector.length; i++) {
            text.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return text.append(']').toString();
    }
}
