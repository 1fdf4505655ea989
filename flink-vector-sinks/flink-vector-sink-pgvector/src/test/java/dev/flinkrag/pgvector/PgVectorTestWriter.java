package dev.flinkrag.pgvector;

import dev.flinkrag.sink.VectorStoreWriter;

import java.sql.SQLException;

/** The sink's writer outside a Flink job, for tests of other modules that need a table as a pipeline writes it. */
public final class PgVectorTestWriter {

    private PgVectorTestWriter() {}

    public static VectorStoreWriter open(PgVectorOptions options) throws SQLException {
        return new PgVectorWriter(options);
    }
}
