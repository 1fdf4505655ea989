package dev.flinkrag.examples;

import dev.flinkrag.common.Secret;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.document.DocumentColumns;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.source.postgres.PostgresDocumentSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

import java.util.Map;

/**
 * Keeps a pgvector table equal to the rows of a PostgreSQL documents table: the table is read once, then every
 * insert, update and delete arrives through logical replication; only changed chunks are embedded
 * (all-MiniLM-L6-v2 in process, or {@code --model.*}: {@link IndexingArguments}). The chunks may go to the same database
 * or another one.
 *
 * <pre>
 * flink run -c dev.flinkrag.examples.PostgresToPgVector flink-rag-examples.jar \
 *     --source-url jdbc:postgresql://db:5432/app --source-user indexer [--source-password-env PGPASSWORD] \
 *     --source-table public.documents [--id-column id] [--text-column text] [--slot flink_rag_documents] \
 *     --jdbc-url jdbc:postgresql://db:5432/rag --user rag [--password-env PGPASSWORD] [--table chunks] \
 *     [--checkpoint-interval-ms 10000]
 * </pre>
 */
public final class PostgresToPgVector {

    private PostgresToPgVector() {}

    public static void main(String[] args) throws Exception {
        ParameterTool options = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = JobDefaults.environment(Map.of());
        // the slot releases WAL only up to the last completed checkpoint
        env.enableCheckpointing(options.getLong("checkpoint-interval-ms", 10_000));

        PostgresDocumentSource.Builder source = PostgresDocumentSource.builder()
                .url(options.getRequired("source-url"))
                .username(options.getRequired("source-user"))
                .table(options.getRequired("source-table"))
                .idColumn(options.get("id-column", DocumentColumns.ID_COLUMN.defaultValue()))
                .textColumn(options.get("text-column", DocumentColumns.TEXT_COLUMN.defaultValue()))
                .slotName(options.get("slot", "flink_rag_documents"));
        if (options.has("source-password-env")) {
            source.password(Secret.fromEnvironment(options.get("source-password-env")));
        }
        DataStream<DocumentChange> documents = env.fromSource(source.build(), WatermarkStrategy.noWatermarks(),
                "postgres " + options.get("source-table")).uid("postgres-documents");

        IndexingPipeline.Embedded result = IndexingArguments.pipeline(documents, options);
        PgVectorChunks.sink(result, options);
        env.execute("flink-rag: PostgreSQL " + options.get("source-table") + " -> pgvector");
    }
}
