package dev.flinkrag.source.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the documents table before anything is read and prepares what logical replication needs: a publication
 * of the table's inserts, updates and deletes, and a {@code pgoutput} slot. Every refusal says what to change.
 */
final class ReplicationSetup {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSetup.class);

    /**
     * The table's columns in order, with the id column's SQL type (for casting a snapshot cursor back), and whether
     * the database stores unchecked bytes ({@code SQL_ASCII}).
     */
    record TableColumns(List<String> names, String idType, boolean uncheckedBytes) {

        /**
         * A column's value as the bytes the source decodes: converted to UTF-8, or — in a SQL_ASCII database, where
         * PostgreSQL would refuse to convert bytes that are not UTF-8 and fail the whole query — as stored, so that
         * only that row is dead-lettered.
         */
        String bytesOf(String column) {
            return "convert_to(" + PostgresSourceSettings.quoted(column) + "::text, '"
                    + (uncheckedBytes ? "SQL_ASCII" : "UTF8") + "')";
        }

        /** Every column's bytes, in table order, for a SELECT list. */
        String selectList() {
            return String.join(", ", names.stream().map(this::bytesOf).toList());
        }

        /** The row's values as selected by {@link #selectList()} at the start of the SELECT list. */
        List<byte[]> valuesOf(ResultSet row) throws SQLException {
            List<byte[]> values = new ArrayList<>(names.size());
            for (int i = 1; i <= names.size(); i++) {
                values.add(row.getBytes(i));
            }
            return values;
        }
    }

    private final PostgresSourceSettings settings;

    ReplicationSetup(PostgresSourceSettings settings) {
        this.settings = settings;
    }

    TableColumns checkTable(Connection connection) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, "
                + "a.atttypmod) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON "
                + "n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT "
                + "a.attisdropped ORDER BY a.attnum")) {
            statement.setString(1, settings.schemaName);
            statement.setString(2, settings.tableName);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        if (types.isEmpty()) {
            throw new IllegalStateException("table " + settings.table + " (option 'table') does not exist");
        }
        List<String> required = new ArrayList<>(List.of(settings.idColumn, settings.textColumn));
        if (settings.metadataColumns != null) {
            required.addAll(settings.metadataColumns);
        }
        for (String column : required) {
            if (!types.containsKey(column)) {
                throw new IllegalStateException("table " + settings.table + " has no column '" + column + "' (has "
                        + types.keySet() + ")");
            }
        }
        checkIdentity(connection);
        boolean uncheckedBytes;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW server_encoding")) {
            rows.next();
            uncheckedBytes = "SQL_ASCII".equals(rows.getString(1));
        }
        return new TableColumns(new ArrayList<>(types.keySet()), types.get(settings.idColumn), uncheckedBytes);
    }

    /**
     * The id must be unique (snapshot pages continue after the last id) and must reach deletes: PostgreSQL sends
     * a deleted row's replica identity, which is the primary key unless the table says otherwise.
     */
    private void checkIdentity(Connection connection) throws SQLException {
        boolean uniqueId = false;
        boolean idIsIdentity = false;
        char identity;
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.relreplident FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, settings.schemaName);
            statement.setString(2, settings.tableName);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                identity = rows.getString(1).charAt(0);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT i.indisprimary, i.indisreplident, "
                + "array_agg(a.attname::text) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
                + "WHERE n.nspname = ? AND c.relname = ? AND i.indisunique AND i.indpred IS NULL "
                + "GROUP BY i.indexrelid, i.indisprimary, i.indisreplident")) {
            statement.setString(1, settings.schemaName);
            statement.setString(2, settings.tableName);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String[] columns = (String[]) rows.getArray(3).getArray();
                    boolean onId = columns.length == 1 && columns[0].equals(settings.idColumn);
                    uniqueId |= onId;
                    idIsIdentity |= onId && ((identity == 'd' && rows.getBoolean(1)) || (identity == 'i' && rows.getBoolean(2)));
                }
            }
        }
        if (!uniqueId) {
            throw new IllegalStateException("table " + settings.table + ": column '" + settings.idColumn
                    + "' (the document id) needs a primary key or unique index of its own");
        }
        if (!idIsIdentity && identity != 'f') {
            throw new IllegalStateException("table " + settings.table + ": deletes would not carry column '"
                    + settings.idColumn + "'; make it the primary key, or run ALTER TABLE " + settings.table
                    + " REPLICA IDENTITY FULL");
        }
    }

    /** Creates the publication if missing; an existing one must publish the table and must not publish TRUNCATE. */
    void ensurePublication(Connection connection) throws SQLException {
        Boolean truncates = null;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pubtruncate FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, settings.publicationName);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    truncates = rows.getBoolean(1);
                }
            }
        }
        String publication = PostgresSourceSettings.quoted(settings.publicationName);
        if (truncates == null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE PUBLICATION " + publication + " FOR TABLE " + settings.quotedTable()
                        + " WITH (publish = 'insert, update, delete')");
            }
            LOG.info("created publication {} of table {}", settings.publicationName, settings.table);
            return;
        }
        if (truncates) {
            // a TRUNCATE names no rows, so the source could not say which documents to delete
            throw new IllegalStateException("publication " + settings.publicationName + " publishes TRUNCATE, which "
                    + "names no documents to delete; run ALTER PUBLICATION " + settings.publicationName
                    + " SET (publish = 'insert, update, delete')");
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_publication_tables WHERE "
                + "pubname = ? AND schemaname = ? AND tablename = ?")) {
            statement.setString(1, settings.publicationName);
            statement.setString(2, settings.schemaName);
            statement.setString(3, settings.tableName);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("publication " + settings.publicationName + " does not publish "
                            + "table " + settings.table + "; run ALTER PUBLICATION " + settings.publicationName
                            + " ADD TABLE " + settings.table);
                }
            }
        }
    }

    /**
     * Creates the slot if missing and returns the position it has confirmed: changes committed after it will be
     * replicated, so a snapshot read after this call, followed by those changes, misses nothing.
     */
    long ensureSlot(Connection connection) throws SQLException {
        Long confirmed = confirmedPosition(connection);
        if (confirmed != null) {
            return confirmed;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT lsn FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
            statement.setString(1, settings.slotName);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                LOG.info("created replication slot {} at {}", settings.slotName, rows.getString(1));
            }
        }
        return confirmedPosition(connection);
    }

    /** The slot's confirmed flush position, or {@code null} if there is no such slot. */
    Long confirmedPosition(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT plugin, database, "
                + "(confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, settings.slotName);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                if (!"pgoutput".equals(rows.getString(1)) || !connection.getCatalog().equals(rows.getString(2))) {
                    throw new IllegalStateException("replication slot " + settings.slotName + " (option 'slotName') "
                            + "belongs to plugin " + rows.getString(1) + " in database " + rows.getString(2)
                            + "; this source needs a pgoutput slot of database " + connection.getCatalog());
                }
                return rows.getLong(3);
            }
        }
    }
}
