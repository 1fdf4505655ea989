package dev.flinkrag.serving;

import dev.flinkrag.lucene.LuceneIndex;
import dev.flinkrag.lucene.LuceneIndexes;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorTestWriter;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorStoreWriter;
import dev.flinkrag.testutils.PostgresServer;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.util.List;

/** The sample index written into each store kind a server reads, as a pipeline writes it, and servers over it. */
public enum ServedStores {
    LUCENE,
    PGVECTOR;

    /** Writes the sample index into a new store of this kind under {@code dir} (Lucene) or a new database. */
    public ServedIndex write(Path dir) throws Exception {
        List<VectorOperation> operations = SampleIndex.operations();
        switch (this) {
            case LUCENE -> {
                Path path = dir.resolve("index");
                LuceneIndex index = LuceneIndexes.acquire(path);
                try {
                    index.apply(operations);
                    index.commit();
                } finally {
                    LuceneIndexes.release(index);
                }
                return ServedIndex.luceneReadOnly(path);
            }
            case PGVECTOR -> {
                PgVectorOptions options = pgvectorOptions(PostgresServer.get().createDatabase());
                try (VectorStoreWriter writer = PgVectorTestWriter.open(options)) {
                    writer.apply(operations);
                }
                return ServedIndex.pgvector(options);
            }
            default -> throw new IllegalStateException();
        }
    }

    public static PgVectorOptions pgvectorOptions(String url) {
        return PgVectorOptions.builder().url(url).username("postgres").table("docs").dimension(384).createTable(true)
                .build();
    }

    /** A server on a free loopback port over {@code index}, with the sample model. */
    public static RagServer serve(ServedIndex index, AccessControl access) {
        Configuration options = new Configuration();
        options.set(ServingOptions.PORT, 0);
        return RagServer.start(new Retriever(index, SampleIndex.MODEL), access, options);
    }
}
