package dev.flinkrag.pgvector;

import dev.flinkrag.postgres.PostgresConnections;
import dev.flinkrag.postgres.SqlIdentifiers;
import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexedModel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The table's {@link IndexState}, in {@code <table-name>_state}: one row per writer (its subtask index) with the
 * model it writes with and its last flush. Each flush updates its writer's row in the flush's own transaction, so
 * writers never wait for each other, and a reader takes the newest row.
 */
final class PgVectorIndexState {

    private static final Logger LOG = LoggerFactory.getLogger(PgVectorIndexState.class);

    private final String table;
    private final String tableName;

    PgVectorIndexState(PgVectorOptions options) {
        this.tableName = options.table() + "_state";
        this.table = SqlIdentifiers.quoteTable("table-name", tableName);
    }

    /**
     * Makes sure the state table exists (if the options may create tables) and that the index was built with
     * {@code model}, then records it as writer {@code writer}'s; throws naming both models if another was recorded.
     *
     * @return whether the state is kept (a table that may not be created and does not exist keeps none)
     */
    boolean prepare(Connection connection, PgVectorOptions options, @Nullable IndexedModel model, int writer)
            throws SQLException {
        if (!exists(connection)) {
            if (!options.createTable()) {
                LOG.warn("Table {} does not exist and option 'create-table' is off: the index records neither its "
                        + "model nor its freshness; create it with: {}", tableName, createSql());
                return false;
            }
            PostgresConnections.runSerialized(connection, table, statement -> statement.execute(createSql()));
        }
        if (model != null) {
            try (PreparedStatement query = connection.prepareStatement("SELECT model_id, dimension FROM " + table
                    + " WHERE model_id IS NOT NULL AND (model_id <> ? OR dimension <> ?) LIMIT 1")) {
                query.setString(1, model.id());
                query.setInt(2, model.dimension());
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        LOG.error("{}", new IndexedModel(rows.getString(1), rows.getInt(2)).mismatch(model,
                                "pgvector table " + options.table()));
                    }
                }
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table + " (writer, model_id, "
                + "dimension) VALUES (?, ?, ?) ON CONFLICT (writer) DO UPDATE SET model_id = EXCLUDED.model_id, "
                + "dimension = EXCLUDED.dimension")) {
            upsert.setInt(1, writer);
            upsert.setString(2, model == null ? null : model.id());
            upsert.setObject(3, model == null ? null : model.dimension());
            upsert.executeUpdate();
        }
        return true;
    }

    private String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (writer integer PRIMARY KEY, model_id text, dimension integer, "
                + "flushed_at bigint, newest_source_at bigint, flush_lag_ms bigint)";
    }

    /** Records one flush of {@code writer}, inside the flush's transaction. */
    void recordFlush(Connection connection, int writer, FlushContext flush) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET flushed_at = ?, "
                + "newest_source_at = greatest(coalesce(newest_source_at, 0), ?), flush_lag_ms = ? WHERE writer = ?")) {
            update.setLong(1, flush.appliedAtMillis());
            update.setLong(2, flush.newestSourceMillis());
            update.setLong(3, flush.lagMillis());
            update.setInt(4, writer);
            update.executeUpdate();
        }
    }

    /** The state the writers recorded: the model of the newest row that has one, and the newest flush. */
    Optional<IndexState> read(Connection connection) throws SQLException {
        if (!exists(connection)) {
            return Optional.empty();
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT model_id, dimension, coalesce(flushed_at, 0), "
                + "coalesce(newest_source_at, 0), coalesce(flush_lag_ms, 0) FROM " + table
                + " ORDER BY flushed_at DESC NULLS LAST");
                ResultSet rows = query.executeQuery()) {
            IndexedModel model = null;
            long lastFlush = 0;
            long newestSource = 0;
            long lag = 0;
            boolean any = false;
            while (rows.next()) {
                if (!any) {
                    lastFlush = rows.getLong(3);
                    lag = rows.getLong(5);
                    any = true;
                }
                if (model == null && rows.getString(1) != null) {
                    model = new IndexedModel(rows.getString(1), rows.getInt(2));
                }
                newestSource = Math.max(newestSource, rows.getLong(4));
            }
            return any ? Optional.of(new IndexState(model, lastFlush, newestSource, lag)) : Optional.empty();
        }
    }

    private boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
