package dev.flinkrag.serving;

import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneIndex;
import dev.flinkrag.lucene.LuceneIndexes;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorTestWriter;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;
import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorStoreWriter;
import dev.flinkrag.testutils.PostgresServer;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The sample index written into each store kind a server reads, as a pipeline writes it, and servers over it. */
public enum ServedStores {
    LUCENE,
    PGVECTOR;

    /** The model of the sample index, as its writers record it. */
    public static final IndexedModel MODEL = new IndexedModel(InProcessModels.allMiniLmL6V2Q().modelId(), 384);
    /** The flush that wrote the sample index: applied at 12:00:05 UTC on 2026-12-01, its changes from 12:00:00 on. */
    public static final FlushContext FLUSH = new FlushContext(1_764_590_405_000L, 1_764_590_400_000L, 1_764_590_404_000L);

    /**
     * Writes the sample index into a new store of this kind under {@code dir} (Lucene) or a new database, in one
     * flush ({@link #FLUSH}) of a writer with {@link #MODEL}.
     */
    public ServedIndex write(Path dir) throws Exception {
        List<VectorOperation> operations = SampleIndex.operations();
        switch (this) {
            case LUCENE -> {
                Path path = dir.resolve("index");
                LuceneIndex index = LuceneIndexes.acquire(path);
                try {
                    index.recordModel(MODEL);
                    index.apply(operations, FLUSH);
                    index.commit();
                } finally {
                    LuceneIndexes.release(index);
                }
                return ServedIndex.luceneReadOnly(path);
            }
            case PGVECTOR -> {
                return writePgVector(PostgresServer.get().createDatabase());
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Writes the sample index into table {@code docs} of the database at {@code url}. */
    public static ServedIndex writePgVector(String url) throws Exception {
        PgVectorOptions options = pgvectorOptions(url);
        try (VectorStoreWriter writer = PgVectorTestWriter.open(options, MODEL, 0)) {
            writer.apply(SampleIndex.operations(), FLUSH);
        }
        return ServedIndex.pgvector(options);
    }

    public static PgVectorOptions pgvectorOptions(String url) {
        return PgVectorOptions.builder().url(url).username("postgres").table("docs").dimension(384).createTable(true)
                .build();
    }

    /** A server on a free loopback port over {@code index}, with the sample model. */
    public static RagServer serve(ServedIndex index, AccessControl access) {
        return serve(index, access, Map.of());
    }

    /** As {@link #serve(ServedIndex, AccessControl)}, with more options (such as {@code chat.*}). */
    public static RagServer serve(ServedIndex index, AccessControl access, Map<String, String> options) {
        Configuration configuration = Configuration.fromMap(options);
        configuration.set(ServingOptions.PORT, 0);
        return RagServer.start(new Retriever(index, SampleIndex.MODEL), access, configuration);
    }
}
