package dev.flinkrag.source.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of PostgreSQL's built-in {@code pgoutput} logical decoding plugin, protocol version 1, that a
 * document table's changes consist of. Column values stay raw bytes (PostgreSQL's text output, in the
 * replication connection's client encoding) so that bad bytes reach the row mapping, which names the column.
 *
 * @see <a href="https://www.postgresql.org/docs/15/protocol-logicalrep-message-formats.html">Logical
 *     replication message formats</a>
 */
sealed interface PgOutputMessage {

    /** A transaction starts; its commit will be at {@code finalLsn}. */
    record Begin(long finalLsn, long commitTimeMillis) implements PgOutputMessage {}

    /** The transaction ends; replication resumed at {@code endLsn} does not send it again. */
    record Commit(long commitLsn, long endLsn, long commitTimeMillis) implements PgOutputMessage {}

    /** Describes a table before its first row in this session (and again after it changes). */
    record Relation(int relationId, String schema, String table, List<String> columns) implements PgOutputMessage {}

    /** A row as inserted, updated ({@code oldKey} set when the key changed) or deleted (key columns only). */
    record RowChange(Kind kind, int relationId, Tuple oldKey, Tuple row) implements PgOutputMessage {
        enum Kind { INSERT, UPDATE, DELETE }
    }

    record Truncate(List<Integer> relationIds) implements PgOutputMessage {}

    /** Anything a document source does not act on (origin, type, logical message). */
    record Other(char tag) implements PgOutputMessage {}

    /** Column values in relation order: raw text bytes, {@code null} for SQL NULL, {@link #UNCHANGED} for a
     * TOASTed value the update did not touch (pgoutput does not resend it). */
    record Tuple(List<byte[]> values) {
        static final byte[] UNCHANGED = new byte[0];
    }

    /** Microseconds between PostgreSQL's epoch (2000-01-01) and the Unix epoch. */
    long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    static PgOutputMessage decode(ByteBuffer buffer) {
        char tag = (char) buffer.get();
        switch (tag) {
            case 'B': {
                long finalLsn = buffer.getLong();
                long commitTime = toMillis(buffer.getLong());
                buffer.getInt(); // xid
                return new Begin(finalLsn, commitTime);
            }
            case 'C': {
                buffer.get(); // flags, unused
                long commitLsn = buffer.getLong();
                long endLsn = buffer.getLong();
                return new Commit(commitLsn, endLsn, toMillis(buffer.getLong()));
            }
            case 'R': {
                int relationId = buffer.getInt();
                String schema = readString(buffer);
                String table = readString(buffer);
                buffer.get(); // replica identity setting
                int count = buffer.getShort();
                List<String> columns = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    buffer.get(); // flags: part of the key
                    columns.add(readString(buffer));
                    buffer.getInt(); // type oid
                    buffer.getInt(); // type modifier
                }
                return new Relation(relationId, schema, table, columns);
            }
            case 'I': {
                int relationId = buffer.getInt();
                expect(buffer, 'N', tag);
                return new RowChange(RowChange.Kind.INSERT, relationId, null, readTuple(buffer));
            }
            case 'U': {
                int relationId = buffer.getInt();
                char next = (char) buffer.get();
                Tuple oldKey = null;
                if (next == 'K' || next == 'O') {
                    oldKey = readTuple(buffer);
                    next = (char) buffer.get();
                }
                if (next != 'N') {
                    throw new IllegalStateException("pgoutput update: expected 'N', got '" + next + "'");
                }
                return new RowChange(RowChange.Kind.UPDATE, relationId, oldKey, readTuple(buffer));
            }
            case 'D': {
                int relationId = buffer.getInt();
                char next = (char) buffer.get();
                if (next != 'K' && next != 'O') {
                    throw new IllegalStateException("pgoutput delete: expected 'K' or 'O', got '" + next + "'");
                }
                return new RowChange(RowChange.Kind.DELETE, relationId, readTuple(buffer), null);
            }
            case 'T': {
                int count = buffer.getInt();
                buffer.get(); // options (cascade, restart identity)
                List<Integer> relationIds = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    relationIds.add(buffer.getInt());
                }
                return new Truncate(relationIds);
            }
            default:
                return new Other(tag);
        }
    }

    private static Tuple readTuple(ByteBuffer buffer) {
        int count = buffer.getShort();
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            char kind = (char) buffer.get();
            switch (kind) {
                case 'n':
                    values.add(null);
                    break;
                case 'u':
                    values.add(Tuple.UNCHANGED);
                    break;
                case 't': {
                    byte[] value = new byte[buffer.getInt()];
                    buffer.get(value);
                    values.add(value);
                    break;
                }
                default:
                    // 'b' (binary) comes only when the stream asks for it, which this source never does
                    throw new IllegalStateException("pgoutput tuple: unexpected column kind '" + kind + "'");
            }
        }
        return new Tuple(values);
    }

    private static void expect(ByteBuffer buffer, char expected, char message) {
        char actual = (char) buffer.get();
        if (actual != expected) {
            throw new IllegalStateException("pgoutput '" + message + "': expected '" + expected + "', got '" + actual + "'");
        }
    }

    private static String readString(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        while (buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buffer.get(bytes);
        buffer.get(); // the terminating zero
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long toMillis(long postgresMicros) {
        return (postgresMicros + POSTGRES_EPOCH_MICROS) / 1000;
    }
}
