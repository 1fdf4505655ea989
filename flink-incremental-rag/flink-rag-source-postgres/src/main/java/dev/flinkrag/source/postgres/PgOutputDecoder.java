package dev.flinkrag.source.postgres;

import dev.flinkrag.source.postgres.PgOutputMessage.Begin;
import dev.flinkrag.source.postgres.PgOutputMessage.Commit;
import dev.flinkrag.source.postgres.PgOutputMessage.Other;
import dev.flinkrag.source.postgres.PgOutputMessage.Relation;
import dev.flinkrag.source.postgres.PgOutputMessage.RowChange;
import dev.flinkrag.source.postgres.PgOutputMessage.Truncate;
import dev.flinkrag.source.postgres.PgOutputMessage.Tuple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads one {@code pgoutput} (protocol version 1) message from the bytes the replication stream hands over. */
final class PgOutputDecoder {

    /** Microseconds between PostgreSQL's epoch (2000-01-01) and the Unix epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private PgOutputDecoder() {}

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
