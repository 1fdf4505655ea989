package dev.flinkrag.source.postgres;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.source.postgres.PgOutputMessage.Begin;
import dev.flinkrag.source.postgres.PgOutputMessage.Commit;
import dev.flinkrag.source.postgres.PgOutputMessage.Relation;
import dev.flinkrag.source.postgres.PgOutputMessage.RowChange;
import dev.flinkrag.source.postgres.PgOutputMessage.Truncate;
import dev.flinkrag.source.postgres.PgOutputMessage.Tuple;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the documents table in two phases on the fetcher thread: the snapshot, page by page in id order, then its
 * changes through logical replication ({@code pgoutput}) from the slot's position taken before the first page.
 *
 * <p>Why this is exact without an exported snapshot: snapshot rows carry version 0 and every replicated change
 * its WAL position, so each change committed after the slot's position is applied after the snapshot row it
 * changes, whatever state the page showed. A restart in the middle of the snapshot continues after the last
 * checkpointed id and replays from the same position; a row that vanished meanwhile arrives as its delete.
 */
final class ReplicationSplitReader implements SplitReader<ReplicationRecord, ReplicationSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSplitReader.class);
    private static final int MAX_RECORDS_PER_FETCH = 2_000;
    private static final long MAX_IDLE_FETCH_MILLIS = 200;
    private static final long IDLE_PAUSE_MILLIS = 10;

    private final PostgresSourceSettings settings;
    private final DocumentRows rows;
    private final ReplicationSetup setup;
    /** Set by the task thread when a checkpoint completes: the slot may release WAL before it. */
    private final AtomicLong positionToConfirm;
    private final Counter snapshotRows;
    private final Counter replicatedChanges;

    @Nullable private ReplicationSplit split;
    private Connection queries;
    private ReplicationSetup.TableColumns columns;
    private Connection replication;
    private PGReplicationStream stream;
    private final Map<Integer, List<String>> relations = new HashMap<>();
    private long confirmed;
    private boolean inTransaction;
    private boolean skippingTransaction;
    private long transactionTimeMillis;
    private volatile boolean wokenUp;

    ReplicationSplitReader(PostgresSourceSettings settings, AtomicLong positionToConfirm, MetricGroup metrics) {
        this.settings = settings;
        this.rows = new DocumentRows(settings);
        this.setup = new ReplicationSetup(settings);
        this.positionToConfirm = positionToConfirm;
        this.snapshotRows = metrics.counter("snapshotRows");
        this.replicatedChanges = metrics.counter("replicatedChanges");
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ReplicationSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported split change " + change);
        }
        for (ReplicationSplit added : change.splits()) {
            if (split != null) {
                throw new IllegalStateException("a reader got a second replication split " + added);
            }
            split = added;
        }
    }

    @Override
    public RecordsWithSplitIds<ReplicationRecord> fetch() throws IOException {
        wokenUp = false;
        List<ReplicationRecord> out = new ArrayList<>();
        if (split == null) {
            return new RecordsBySplits<>(Map.of(), Set.of());
        }
        try {
            if (queries == null) {
                queries = settings.connect();
                columns = setup.checkTable(queries);
                setup.ensurePublication(queries);
            }
            if (!split.started()) {
                split = new ReplicationSplit(split.slotName(), setup.ensureSlot(queries), false, null);
                out.add(ReplicationRecord.position(split));
            }
            if (!split.snapshotDone()) {
                readSnapshotPage(out);
            } else {
                if (stream == null) {
                    startReplication();
                }
                confirmCheckpointedPosition();
                readChanges(out);
            }
        } catch (SQLException e) {
            closeConnections();
            throw new IOException("PostgreSQL source of table " + settings.table + " (slot " + settings.slotName
                    + "): " + e.getMessage(), e);
        }
        return new RecordsBySplits<>(Map.of(split.splitId(), out), Set.of());
    }

    private void readSnapshotPage(List<ReplicationRecord> out) throws SQLException {
        String id = PostgresSourceSettings.quoted(settings.idColumn);
        String select = "SELECT " + columns.selectList() + ", " + id + "::text FROM " + settings.quotedTable()
                + (split.snapshotCursor() == null ? "" : " WHERE " + id + " > CAST(? AS " + columns.idType() + ")")
                + " ORDER BY " + id + " LIMIT " + settings.snapshotFetchSize;
        int count = 0;
        String cursor = split.snapshotCursor();
        try (PreparedStatement statement = queries.prepareStatement(select)) {
            if (cursor != null) {
                statement.setString(1, cursor);
            }
            long now = System.currentTimeMillis();
            try (ResultSet page = statement.executeQuery()) {
                while (page.next()) {
                    cursor = page.getString(columns.names().size() + 1);
                    out.add(ReplicationRecord.change(rows.upsert(columns.names(), columns.valuesOf(page), 0, now)));
                    count++;
                }
            }
        }
        snapshotRows.inc(count);
        boolean done = count < settings.snapshotFetchSize;
        split = new ReplicationSplit(split.slotName(), split.resumeLsn(), done, done ? null : cursor);
        out.add(ReplicationRecord.position(split));
        if (done) {
            LOG.info("snapshot of {} done; replicating from {}", settings.table, LogSequenceNumber.valueOf(split.resumeLsn()));
        }
    }

    private void startReplication() throws SQLException {
        Long slotPosition = setup.confirmedPosition(queries);
        if (slotPosition == null) {
            throw new IllegalStateException("replication slot " + settings.slotName + " is gone; the changes since "
                    + LogSequenceNumber.valueOf(split.resumeLsn()) + " cannot be read. Start the job without its "
                    + "checkpoint to read the table afresh");
        }
        if (slotPosition > split.resumeLsn()) {
            // PostgreSQL moves a slot past WAL that holds nothing for it (other tables' transactions) once the
            // client is caught up, without the client confirming it: a checkpoint taken just before that is
            // behind the slot and loses nothing. Refusing would make such a restore fail forever. The same
            // gap after restoring an old savepoint does lose changes, which the slot no longer has.
            LOG.warn("replication slot {} has confirmed up to {}, past this checkpoint's position {}; resuming there. "
                    + "If an older savepoint was restored, changes in between are not replayed: drop the slot and "
                    + "start without state to read the table afresh", settings.slotName,
                    LogSequenceNumber.valueOf(slotPosition), LogSequenceNumber.valueOf(split.resumeLsn()));
        }
        replication = settings.connectForReplication(columns.uncheckedBytes());
        stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName(settings.slotName)
                .withStartPosition(LogSequenceNumber.valueOf(split.resumeLsn()))
                .withSlotOption("proto_version", 1)
                .withSlotOption("publication_names", settings.publicationName)
                .withStatusInterval(10, TimeUnit.SECONDS)
                .start();
        confirmed = slotPosition;
        LOG.info("replicating table {} from slot {} at {}", settings.table, settings.slotName,
                LogSequenceNumber.valueOf(split.resumeLsn()));
    }

    private void confirmCheckpointedPosition() throws SQLException {
        long position = positionToConfirm.get();
        if (position > confirmed) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(position);
            stream.setFlushedLSN(lsn);
            stream.setAppliedLSN(lsn);
            stream.forceUpdateStatus();
            confirmed = position;
        }
    }

    private void readChanges(List<ReplicationRecord> out) throws SQLException {
        long idleSince = System.currentTimeMillis();
        while (!wokenUp && out.size() < MAX_RECORDS_PER_FETCH) {
            ByteBuffer message = stream.readPending();
            if (message == null) {
                advanceWhileIdle(out);
                if (!out.isEmpty() || System.currentTimeMillis() - idleSince > MAX_IDLE_FETCH_MILLIS) {
                    return;
                }
                pause();
                continue;
            }
            handle(PgOutputDecoder.decode(message), stream.getLastReceiveLSN().asLong(), out);
        }
    }

    /**
     * Between transactions, the server's keepalives say how far it has decoded: every transaction committed before
     * that was sent, so the split may resume there. Without this a quiet table in a busy database would keep the
     * slot (and the WAL it holds) at its last change.
     */
    private void advanceWhileIdle(List<ReplicationRecord> out) {
        long received = stream.getLastReceiveLSN().asLong();
        if (!inTransaction && received > split.resumeLsn()) {
            split = new ReplicationSplit(split.slotName(), received, true, null);
            out.add(ReplicationRecord.position(split));
        }
    }

    private void handle(PgOutputMessage message, long lsn, List<ReplicationRecord> out) throws SQLException {
        if (message instanceof Begin begin) {
            inTransaction = true;
            // a transaction that committed before the resume position was emitted before the checkpoint
            skippingTransaction = begin.finalLsn() < split.resumeLsn();
            transactionTimeMillis = begin.commitTimeMillis();
        } else if (message instanceof Commit commit) {
            inTransaction = false;
            if (commit.endLsn() > split.resumeLsn()) {
                split = new ReplicationSplit(split.slotName(), commit.endLsn(), true, null);
                out.add(ReplicationRecord.position(split));
            }
        } else if (message instanceof Relation relation) {
            if (relation.schema().equals(settings.schemaName) && relation.table().equals(settings.tableName)) {
                relations.put(relation.relationId(), relation.columns());
            }
        } else if (message instanceof RowChange change) {
            List<String> names = relations.get(change.relationId());
            if (names != null && !skippingTransaction) {
                emitChange(change, names, lsn, out);
            }
        } else if (message instanceof Truncate truncate) {
            if (truncate.relationIds().stream().anyMatch(relations::containsKey)) {
                throw new IllegalStateException("table " + settings.table + " was truncated; a TRUNCATE names no "
                        + "documents to delete (publication " + settings.publicationName + " must not publish it)");
            }
        }
    }

    private void emitChange(RowChange change, List<String> names, long lsn, List<ReplicationRecord> out)
            throws SQLException {
        replicatedChanges.inc();
        if (change.kind() == RowChange.Kind.DELETE) {
            out.add(ReplicationRecord.change(DocumentChange.delete(idOf(names, change.oldKey()), lsn,
                    transactionTimeMillis)));
            return;
        }
        String docId = readableIdOf(names, change.row());
        if (change.oldKey() != null) {
            String oldId = idOf(names, change.oldKey());
            if (oldId != null && !oldId.equals(docId)) {
                out.add(ReplicationRecord.change(DocumentChange.delete(oldId, lsn, transactionTimeMillis)));
            }
        }
        List<byte[]> values = change.row().values();
        List<String> valueNames = names;
        if (docId != null && values.contains(Tuple.UNCHANGED)) {
            // an update that left a large (TOASTed) value alone does not resend it: read the row as it is now;
            // a later change of the row follows in the stream, so the final version still wins
            values = currentRow(docId);
            valueNames = columns.names();
            if (values == null) {
                return; // deleted since; its delete follows
            }
        }
        out.add(ReplicationRecord.change(rows.upsert(valueNames, values, lsn, transactionTimeMillis)));
    }

    /** A replicated row's id; ids are keys, so one that is not UTF-8 stops the source rather than guess. */
    private String idOf(List<String> names, Tuple tuple) {
        try {
            return rows.idOf(names, tuple.values());
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("table " + settings.table + ": a changed row's id (column '"
                    + settings.idColumn + "') is not valid UTF-8", e);
        }
    }

    /** The id, or {@code null} if it is missing or not UTF-8: the row mapping dead-letters such a row. */
    @Nullable
    private String readableIdOf(List<String> names, Tuple tuple) {
        try {
            return rows.idOf(names, tuple.values());
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Nullable
    private List<byte[]> currentRow(String docId) throws SQLException {
        String select = "SELECT " + columns.selectList() + " FROM " + settings.quotedTable() + " WHERE "
                + PostgresSourceSettings.quoted(settings.idColumn) + " = CAST(? AS " + columns.idType() + ")";
        try (PreparedStatement statement = queries.prepareStatement(select)) {
            statement.setString(1, docId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? columns.valuesOf(row) : null;
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(IDLE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            wokenUp = true;
        }
    }

    @Override
    public void wakeUp() {
        wokenUp = true;
    }

    @Override
    public void close() {
        closeConnections();
    }

    private void closeConnections() {
        for (AutoCloseable closeable : new AutoCloseable[] {stream, replication, queries}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing a connection of the PostgreSQL source of {}: {}", settings.table, e.toString());
                }
            }
        }
        stream = null;
        replication = null;
        queries = null;
        relations.clear();
        inTransaction = false;
    }
}
