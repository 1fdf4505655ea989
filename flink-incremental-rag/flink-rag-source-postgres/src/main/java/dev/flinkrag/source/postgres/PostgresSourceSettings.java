package dev.flinkrag.source.postgres;

import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.postgres.PostgresConnections;
import dev.flinkrag.postgres.SqlIdentifiers;

import org.postgresql.PGProperty;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/** What the PostgreSQL document source connects to and reads; built and checked by the source's builder. */
final class PostgresSourceSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    final PostgresConnectionOptions connection;
    /** As configured ({@code table} or {@code schema.table}). */
    final String table;
    final String schemaName;
    final String tableName;
    final String idColumn;
    final String textColumn;
    /** {@code null}: every other column. */
    @Nullable final List<String> metadataColumns;
    final String slotName;
    final String publicationName;
    final int snapshotFetchSize;

    PostgresSourceSettings(PostgresConnectionOptions connection, String table, String idColumn, String textColumn,
            @Nullable List<String> metadataColumns, String slotName, String publicationName, int snapshotFetchSize) {
        this.connection = connection;
        this.table = table;
        SqlIdentifiers.quoteTable("table", table);
        int dot = table.indexOf('.');
        this.schemaName = dot < 0 ? "public" : table.substring(0, dot);
        this.tableName = dot < 0 ? table : table.substring(dot + 1);
        this.idColumn = idColumn;
        this.textColumn = textColumn;
        this.metadataColumns = metadataColumns;
        this.slotName = slotName;
        this.publicationName = publicationName;
        this.snapshotFetchSize = snapshotFetchSize;
        SqlIdentifiers.quote("idColumn", idColumn);
        SqlIdentifiers.quote("textColumn", textColumn);
        if (metadataColumns != null) {
            metadataColumns.forEach(column -> SqlIdentifiers.quote("metadataColumns", column));
        }
        // slot names allow lower case, digits and '_' only (PostgreSQL's own rule)
        if (!slotName.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("option 'slotName' must be lower-case letters, digits and underscores "
                    + "(at most 63), was '" + slotName + "'");
        }
        SqlIdentifiers.quote("publicationName", publicationName);
    }

    String quotedTable() {
        return SqlIdentifiers.quoteTable("table", table);
    }

    static String quoted(String column) {
        return SqlIdentifiers.quote("column", column);
    }

    /** A connection for queries (catalog checks, snapshot pages, row lookups). */
    Connection connect() throws SQLException {
        return connect(properties());
    }

    /**
     * A connection in logical replication mode, which only speaks the simple query protocol. With
     * {@code uncheckedBytes} (a SQL_ASCII database) it asks for values as stored: converting them to UTF-8 would
     * make the server stop replicating at the first value that is not UTF-8.
     */
    Connection connectForReplication(boolean uncheckedBytes) throws SQLException {
        Properties properties = properties();
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        PGProperty.ALLOW_ENCODING_CHANGES.set(properties, uncheckedBytes);
        Connection connection = connect(properties);
        if (uncheckedBytes) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET client_encoding = 'SQL_ASCII'");
            }
        }
        return connection;
    }

    private Connection connect(Properties properties) throws SQLException {
        return PostgresConnections.connect(connection.url(), properties);
    }

    private Properties properties() {
        return PostgresConnections.properties(connection.username(), connection.password(),
                "flink-rag document source " + slotName);
    }

    @Override
    public String toString() {
        return "PostgresSourceSettings{" + connection + ", table=" + table
                + ", id=" + idColumn + ", text=" + textColumn + ", metadata="
                + (metadataColumns == null ? "<other columns>" : metadataColumns) + ", slot=" + slotName
                + ", publication=" + publicationName + "}";
    }
}
