package dev.flinkrag.pgvector;

import dev.flinkrag.postgres.PostgresConnections;
import dev.flinkrag.postgres.SqlIdentifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sink's table: quoted names, its creation (table and HNSW index) and the check of an existing table
 * before the first write, so a wrong dimension or a missing column is a clear error at start, not a failed
 * flush later.
 */
final class PgVectorTable {

    private static final Set<String> ID_TYPES = Set.of("text", "uuid");

    final String table;
    final String id;
    final String text;
    final String metadata;
    final String vector;
    /** How an id parameter is cast in statements: the id column's type. */
    final String idType;
    /** The table of document records: {@code doc_id text PRIMARY KEY, metadata jsonb, entry_ids text[]}. */
    final String documents;

    private PgVectorTable(PgVectorOptions options, String idType) {
        this.table = SqlIdentifiers.quoteTable("table-name", options.table());
        this.id = SqlIdentifiers.quote("id-column", options.idColumn());
        this.text = SqlIdentifiers.quote("text-column", options.textColumn());
        this.metadata = SqlIdentifiers.quote("metadata-column", options.metadataColumn());
        this.vector = SqlIdentifiers.quote("vector-column", options.vectorColumn());
        this.idType = idType;
        this.documents = SqlIdentifiers.quoteTable("documents-table", options.documentsTable());
    }

    /** Creates the table if asked and it is missing, then checks it; parallel writers may race here safely. */
    static PgVectorTable prepare(Connection connection, PgVectorOptions options) throws SQLException {
        PgVectorTable names = new PgVectorTable(options, "text");
        if (options.createTable()) {
            PostgresConnections.runSerialized(connection, names.table, statement -> {
                statement.execute("CREATE TABLE IF NOT EXISTS " + names.table + " (" + names.id + " text PRIMARY KEY, "
                        + names.text + " text, " + names.metadata + " jsonb NOT NULL DEFAULT '{}', " + names.vector
                        + " vector(" + options.dimension() + ") NOT NULL)");
                if (options.hnswIndex()) {
                    String index = SqlIdentifiers.quote("table-name", indexName(options, options.vectorColumn() + "_hnsw"));
                    statement.execute("CREATE INDEX IF NOT EXISTS " + index + " ON " + names.table + " USING hnsw ("
                            + names.vector + " " + options.distance().operatorClass() + ") WITH (m = "
                            + options.hnswM() + ", ef_construction = " + options.hnswEfConstruction() + ")");
                }
                if (options.textIndex()) {
                    String index = SqlIdentifiers.quote("table-name", indexName(options, options.textColumn() + "_fts"));
                    statement.execute("CREATE INDEX IF NOT EXISTS " + index + " ON " + names.table + " USING gin (("
                            + names.textSearchVector() + "))");
                }
                if (options.documentField() != null) {
                    String index = SqlIdentifiers.quote("table-name", indexName(options, options.documentField()));
                    statement.execute("CREATE INDEX IF NOT EXISTS " + index + " ON " + names.table + " (("
                            + names.documentOf(options.documentField()) + "))");
                }
            });
        }
        return new PgVectorTable(options, validate(connection, names, options));
    }

    private static String createDocumentsSql(String documents) {
        return "CREATE TABLE IF NOT EXISTS " + documents + " (doc_id text PRIMARY KEY, metadata jsonb NOT NULL, "
                + "entry_ids text[] NOT NULL)";
    }

    /**
     * Makes sure the table of document records exists before the first record is written: creates it (in a
     * transaction of its own, serialized like the table's creation) if the options say so, else fails saying how.
     * Only a pipeline writes records, so a table written through SQL gets none.
     */
    void prepareDocuments(Connection connection, PgVectorOptions options) throws SQLException {
        if (hasDocumentsTable(connection)) {
            return;
        }
        if (!options.createTable()) {
            throw new IllegalStateException("table " + options.documentsTable() + " (option 'documents-table') "
                    + "does not exist; set 'create-table' = 'true' or create it: " + createDocumentsSql(documents));
        }
        PostgresConnections.runSerialized(connection, documents, statement -> statement.execute(createDocumentsSql(documents)));
    }

    /** Whether the table of document records exists. */
    boolean hasDocumentsTable(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, documents);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    /**
     * The expression a document retain compares: the metadata field as text, spelled exactly like the index
     * on it so the planner uses that index.
     */
    String documentOf(String field) {
        return metadata + " ->> " + literal(field);
    }

    /**
     * The row's words as PostgreSQL full-text search sees them: configuration 'simple' (lower-cased, no stemming or
     * stop words, so identifiers and code match as written), spelled exactly like the index on it.
     */
    String textSearchVector() {
        return "to_tsvector('simple'::regconfig, coalesce(" + text + ", ''))";
    }

    private static String indexName(PgVectorOptions options, String suffix) {
        String table = options.table().contains(".") ? options.table().substring(options.table().indexOf('.') + 1)
                : options.table();
        String name = table + "_" + suffix;
        return name.length() <= 63 ? name : name.substring(0, 63);
    }

    /** Returns the id column's type after checking every column; fails naming what does not match. */
    private static String validate(Connection connection, PgVectorTable names, PgVectorOptions options)
            throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, "
                + "a.atttypmod) FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT "
                + "a.attisdropped")) {
            query.setString(1, names.table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("table " + options.table() + " does not exist in " + options.jdbcUrl()
                    + "; create it or set 'create-table' = 'true'");
        }
        String idType = column(columns, options, options.idColumn(), "id-column");
        if (!ID_TYPES.contains(idType) && !idType.startsWith("character varying")) {
            throw mismatch(options, options.idColumn(), "text, varchar or uuid", idType);
        }
        String textType = column(columns, options, options.textColumn(), "text-column");
        if (!textType.equals("text") && !textType.startsWith("character varying")) {
            throw mismatch(options, options.textColumn(), "text or varchar", textType);
        }
        String metadataType = column(columns, options, options.metadataColumn(), "metadata-column");
        if (!metadataType.equals("jsonb")) {
            throw mismatch(options, options.metadataColumn(), "jsonb", metadataType);
        }
        String vectorType = column(columns, options, options.vectorColumn(), "vector-column");
        String expected = "vector(" + options.dimension() + ")";
        if (!vectorType.equals(expected)) {
            throw mismatch(options, options.vectorColumn(), expected + " (option 'dimension' is "
                    + options.dimension() + ")", vectorType);
        }
        requireUniqueId(connection, names, options);
        return idType.startsWith("character varying") ? "text" : idType;
    }

    private static String column(Map<String, String> columns, PgVectorOptions options, String name, String option) {
        String type = columns.get(name);
        if (type == null) {
            throw new IllegalStateException("table " + options.table() + " has no column '" + name + "' (option '"
                    + option + "'); it has " + columns.keySet());
        }
        return type;
    }

    private static IllegalStateException mismatch(PgVectorOptions options, String column, String expected, String actual) {
        return new IllegalStateException("column " + column + " of table " + options.table() + " is " + actual
                + ", expected " + expected);
    }

    private static void requireUniqueId(Connection connection, PgVectorTable names, PgVectorOptions options)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_attribute a ON "
                + "a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?) AND "
                + "i.indisunique AND i.indnkeyatts = 1 AND a.attname = ?")) {
            query.setString(1, names.table);
            query.setString(2, options.idColumn());
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("column " + options.idColumn() + " of table " + options.table()
                            + " must be the primary key (or have a unique index) for upserts");
                }
            }
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
