package dev.flinkrag.examples;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.common.Secret;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.pipeline.IndexingPipeline;

import org.apache.flink.util.ParameterTool;

import java.time.Duration;

/**
 * The pgvector end of the examples: {@code --jdbc-url}, {@code --user}, {@code --password-env} and
 * {@code --table} (default {@code chunks}, created with an HNSW index if missing); dead letters to the log.
 */
final class PgVectorChunks {

    private PgVectorChunks() {}

    static void sink(IndexingPipeline.Embedded result, ParameterTool options) {
        String tableName = options.get("table", "chunks");
        PgVectorOptions.Builder table = PgVectorOptions.builder()
                .url(options.getRequired("jdbc-url"))
                .username(options.getRequired("user"))
                .table(tableName)
                .createTable(true);
        if (options.has("password-env")) {
            table.password(Secret.fromEnvironment(options.get("password-env")));
        }
        // the model's dimension and the converter that routes chunks by document come from the pipeline
        result.sinkTo(PgVectorSink.<ChunkChange>builder().options(table.build()).flushInterval(Duration.ofMillis(200)));
        result.deadLetters().print("dead letter").uid("dead-letters");
    }
}
