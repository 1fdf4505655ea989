package dev.flinkrag.examples;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.pipeline.ChunkChangeConverter;
import dev.flinkrag.pipeline.IncrementalIndexing;

import org.apache.flink.util.ParameterTool;

import java.time.Duration;

/**
 * The pgvector end of the examples: {@code --jdbc-url}, {@code --user}, {@code --password-env} and
 * {@code --table} (default {@code chunks}, created with an HNSW index if missing); dead letters to the log.
 */
final class PgVectorChunks {

    private PgVectorChunks() {}

    static void sink(IncrementalIndexing.Result result, ParameterTool options) {
        String tableName = options.get("table", "chunks");
        PgVectorSink.Builder<ChunkChange> table = PgVectorSink.<ChunkChange>builder()
                .url(options.getRequired("jdbc-url"))
                .username(options.getRequired("user"))
                .table(tableName)
                .dimension(384)
                .createTable(true)
                .flushInterval(Duration.ofMillis(200))
                .converter(new ChunkChangeConverter());
        if (options.has("password-env")) {
            table.passwordFromEnvironment(options.get("password-env"));
        }
        result.chunks().sinkTo(table.build()).name("pgvector " + tableName).uid("pgvector-sink");
        result.deadLetters().print("dead letter").uid("dead-letters");
    }
}
