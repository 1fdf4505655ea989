package dev.flinkrag.source.postgres;

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
}
