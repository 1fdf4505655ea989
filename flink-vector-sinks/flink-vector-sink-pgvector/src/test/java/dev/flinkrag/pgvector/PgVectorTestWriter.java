package dev.flinkrag.pgvector;

import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorStoreWriter;

import java.sql.SQLException;

/** The sink's writer outside a Flink job, for tests of other modules that need a table as a pipeline writes it. */
public final class PgVectorTestWriter {

    private PgVectorTestWriter() {}

    /** A sink's writer number {@code writer}, recording {@code model} and its flushes in the index state. */
    public static VectorStoreWriter open(PgVectorOptions options, IndexedModel model, int writer) throws SQLException {
        return new PgVectorWriter(options, model, writer);
    }
}
