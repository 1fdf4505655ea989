package dev.flinkrag.table.index;

import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.postgres.PostgresConnections;
import dev.flinkrag.postgres.SqlIdentifiers;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The PostgreSQL table of a {@code rag-index} table's dead letters, in the pgvector store's database: one row per
 * document, version and stage, {@code (doc_id, version, stage, reason, reported_at)}, created when missing. A replay
 * after a failover rewrites the same rows, so the table holds each dead letter once.
 */
@Internal
final class DeadLetterTable implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PostgresConnectionOptions connection;
    private final String table;

    DeadLetterTable(PostgresConnectionOptions connection, String table) {
        if (!SqlIdentifiers.isTableName(table)) {
            throw new IllegalArgumentException("option '" + RagIndexOptions.DEAD_LETTERS_TABLE.key() + "' must be "
                    + "'table' or 'schema.table', each " + SqlIdentifiers.NAME_RULE + ", was '" + table + "'");
        }
        this.connection = connection;
        this.table = table;
    }

    /** Connects, creating the table when missing. */
    Writer open() throws SQLException {
        return new Writer(connection.connect("flink-rag dead letters"), table);
    }

    /** Writes each dead letter at once (they are rare), so it is visible while the job runs. */
    static final class Writer implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement upsert;

        private Writer(Connection connection, String table) throws SQLException {
            this.connection = connection;
            // every parallel instance creates it when missing: serialized, as concurrent CREATEs fail
            PostgresConnections.runSerialized(connection, table, statement -> statement.execute("CREATE TABLE IF NOT "
                    + "EXISTS " + table + " (doc_id text NOT NULL, version bigint NOT NULL, stage text NOT NULL, reason "
                    + "text NOT NULL, reported_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (doc_id, version, "
                    + "stage))"));
            connection.setAutoCommit(true);
            upsert = connection.prepareStatement("INSERT INTO " + table + " (doc_id, version, stage, reason) VALUES "
                    + "(?, ?, ?, ?) ON CONFLICT (doc_id, version, stage) DO UPDATE SET reason = excluded.reason, "
                    + "reported_at = now()");
        }

        void write(DeadLetter letter) throws SQLException {
            upsert.setString(1, letter.docId() == null ? "" : letter.docId());
            upsert.setLong(2, letter.version());
            upsert.setString(3, letter.stage());
            upsert.setString(4, letter.reason());
            upsert.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
