package dev.flinkrag.pgvector;

import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorChecks;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorStoreWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Applies one flush to the pgvector table in one transaction: document retains as a delete of the document's
 * other rows (indexed by {@link PgVectorOptions#documentField()}) and an upsert (or delete) of the document's row in
 * the {@linkplain PgVectorOptions#documentsTable() table of document records}, deletes with one {@code = ANY(array)}
 * statement, upserts as a batched {@code INSERT ... ON CONFLICT DO UPDATE} (the driver rewrites the batch into
 * multi-row inserts), metadata-only updates as a batched {@code UPDATE} that keeps the stored vector. A
 * lost connection, a deadlock or a serialization failure is transient: the transaction is rolled back, the
 * connection reopened if needed, and the same flush applied again.
 */
final class PgVectorWriter implements VectorStoreWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PgVectorWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgVectorOptions options;
    private Connection connection;
    private PgVectorTable table;
    private String upsertSql;
    private String updateSql;
    private String deleteSql;
    /** Whether the table of document records is known to exist: checked (and created if asked) on first use. */
    private boolean documentsTableExists;
    /** The index state this writer records with each flush, or {@code null} for a writer that records none. */
    @Nullable private final PgVectorIndexState state;
    @Nullable private final IndexedModel model;
    private final int writer;
    private boolean stateKept;

    /** A writer that records no index state (writes through the {@code EmbeddingStore} API). */
    PgVectorWriter(PgVectorOptions options) throws SQLException {
        this(options, null, 0, false);
    }

    /**
     * A sink's writer: records {@code model} (if known) and each flush in the index state as writer {@code writer},
     * and refuses to write into a table built with another model.
     */
    PgVectorWriter(PgVectorOptions options, @Nullable IndexedModel model, int writer) throws SQLException {
        this(options, model, writer, true);
    }

    private PgVectorWriter(PgVectorOptions options, @Nullable IndexedModel model, int writer, boolean recordState)
            throws SQLException {
        this.options = options;
        this.model = model;
        this.writer = writer;
        this.state = recordState ? new PgVectorIndexState(options) : null;
        connect();
    }

    private void connect() throws SQLException {
        Properties properties = options.connectionProperties("flink-rag pgvector sink");
        properties.setProperty("reWriteBatchedInserts", "true");
        connection = options.connect(properties);
        table = PgVectorTable.prepare(connection, options);
        stateKept = state != null && state.prepare(connection, options, model, writer);
        connection.setAutoCommit(false);
        String cast = "::" + table.idType;
        upsertSql = "INSERT INTO " + table.table + " (" + table.id + ", " + table.text + ", " + table.metadata + ", "
                + table.vector + ") VALUES (?" + cast + ", ?, ?::jsonb, ?::vector) ON CONFLICT (" + table.id
                + ") DO UPDATE SET " + table.text + " = EXCLUDED." + table.text + ", " + table.metadata
                + " = EXCLUDED." + table.metadata + ", " + table.vector + " = EXCLUDED." + table.vector;
        updateSql = "UPDATE " + table.table + " SET " + table.text + " = ?, " + table.metadata + " = ?::jsonb WHERE "
                + table.id + " = ?" + cast;
        deleteSql = "DELETE FROM " + table.table + " WHERE " + table.id + " = ANY (?::" + table.idType + "[])";
    }

    @Override
    public int apply(List<VectorOperation> operations) throws SQLException {
        return apply(operations, null);
    }

    @Override
    public int apply(List<VectorOperation> operations, @Nullable FlushContext flush) throws SQLException {
        if (connection == null || connection.isClosed() || !connection.isValid(5)) {
            closeQuietly();
            connect();
        }
        List<VectorOperation> retains = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        List<VectorOperation> upserts = new ArrayList<>();
        List<VectorOperation> updates = new ArrayList<>();
        for (VectorOperation operation : operations) {
            switch (operation.kind()) {
                case RETAIN_ONLY -> retains.add(operation);
                case DELETE -> deletes.add(operation.id());
                case UPSERT -> upserts.add(operation);
                case UPDATE_METADATA -> updates.add(operation);
            }
        }
        if (!documentsTableExists && !retains.isEmpty()) {
            if (retains.stream().anyMatch(retain -> retain.document() != null)) {
                table.prepareDocuments(connection, options);
                documentsTableExists = true;
            } else {
                documentsTableExists = table.hasDocumentsTable(connection); // no table: no record to remove
            }
        }
        try {
            // document retains first: the entry writes of this flush come after them
            for (VectorOperation retain : retains) {
                try (PreparedStatement delete = connection.prepareStatement(retainSql(retain.documentField()))) {
                    delete.setString(1, retain.id());
                    delete.setArray(2, connection.createArrayOf("text", retain.retainedIds().toArray()));
                    delete.executeUpdate();
                }
            }
            writeDocumentRecords(retains);
            if (!deletes.isEmpty()) {
                try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
                    delete.setArray(1, connection.createArrayOf("text", deletes.toArray()));
                    delete.executeUpdate();
                }
            }
            if (!upserts.isEmpty()) {
                try (PreparedStatement upsert = connection.prepareStatement(upsertSql)) {
                    for (VectorOperation operation : upserts) {
                        upsert.setString(1, operation.id());
                        upsert.setString(2, operation.text());
                        upsert.setString(3, metadataJson(operation));
                        upsert.setString(4, vectorLiteral(operation));
                        upsert.addBatch();
                    }
                    upsert.executeBatch();
                }
            }
            int skipped = 0;
            if (!updates.isEmpty()) {
                try (PreparedStatement update = connection.prepareStatement(updateSql)) {
                    for (VectorOperation operation : updates) {
                        update.setString(1, operation.text());
                        update.setString(2, metadataJson(operation));
                        update.setString(3, operation.id());
                        update.addBatch();
                    }
                    for (int count : update.executeBatch()) {
                        skipped += count == 0 ? 1 : 0;
                    }
                }
            }
            if (stateKept && flush != null) {
                state.recordFlush(connection, writer, flush);
            }
            connection.commit();
            return skipped;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    /** One row per document: upserted with its record, deleted when the document is gone. */
    private void writeDocumentRecords(List<VectorOperation> retains) throws SQLException {
        if (retains.isEmpty() || !documentsTableExists) {
            return;
        }
        List<String> gone = new ArrayList<>();
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table.documents
                + " (doc_id, metadata, entry_ids) VALUES (?, ?::jsonb, ?) ON CONFLICT (doc_id) DO UPDATE SET metadata = "
                + "EXCLUDED.metadata, entry_ids = EXCLUDED.entry_ids")) {
            for (VectorOperation retain : retains) {
                if (retain.document() == null) {
                    gone.add(retain.id());
                    continue;
                }
                upsert.setString(1, retain.id());
                upsert.setString(2, json(retain.id(), retain.document().metadata()));
                upsert.setArray(3, connection.createArrayOf("text", retain.document().entryIds().toArray()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        if (!gone.isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table.documents + " WHERE doc_id = ANY (?::text[])")) {
                delete.setArray(1, connection.createArrayOf("text", gone.toArray()));
                delete.executeUpdate();
            }
        }
    }

    String retainSql(String documentField) {
        return "DELETE FROM " + table.table + " WHERE " + table.documentOf(documentField) + " = ? AND NOT ("
                + table.id + " = ANY (?::" + table.idType + "[]))";
    }

    private String vectorLiteral(VectorOperation operation) {
        String problem = VectorChecks.vectorProblem(operation.vector(), options.dimension());
        if (problem != null) {
            throw new IllegalArgumentException("upsert of id " + operation.id() + " into " + options.table() + ": "
                    + problem);
        }
        return PgVectorText.format(operation.vector());
    }

    private String metadataJson(VectorOperation operation) {
        return json(operation.id(), operation.metadata());
    }

    private String json(String id, Map<String, Object> metadata) {
        try {
            String json = JSON.writeValueAsString(metadata);
            // a UTF-8 character takes at most 4 bytes: count them only when it could matter
            if (json.length() > options.maxMetadataBytes() / 4) {
                int bytes = json.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > options.maxMetadataBytes()) {
                    throw new IllegalArgumentException(String.format("metadata of id %s is %d bytes of JSON, more "
                            + "than option 'metadata.max-bytes' (%d)", id, bytes, options.maxMetadataBytes()));
                }
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata of id " + id + " cannot be written as JSON", e);
        }
    }

    /** Connection loss (SQLState class 08), serialization failures and deadlocks (40001, 40P01), shutdowns (57P0x), lack of resources (53). */
    @Override
    public boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                        || state.startsWith("53") || state.startsWith("57P0");
            }
        }
        return false;
    }

    private void rollbackQuietly() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("Rollback on {} failed; the connection is reopened on the next flush", options.table(), e);
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("Closing the connection to {} failed", options.table(), e);
        }
        connection = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
