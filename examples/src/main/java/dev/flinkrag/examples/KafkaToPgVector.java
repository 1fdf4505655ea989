package dev.flinkrag.examples;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.source.kafka.KafkaDocumentFormat;
import dev.flinkrag.source.kafka.KafkaDocuments;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;

/**
 * Keeps a pgvector table equal to the documents in a Kafka topic: each record upserts its document (a tombstone
 * deletes it), only changed chunks are embedded (all-MiniLM-L6-v2 in process unless {@code --model.*} names another
 * model), and chunks are upserted and deleted in the table. Unreadable records are logged as dead letters and skipped.
 * Every {@code parsing.*}, {@code chunking.*}, {@code model.*} and {@code embedding.*} option of the library can be
 * given by its key ({@link IndexingArguments}).
 *
 * <pre>
 * flink run -c dev.flinkrag.examples.KafkaToPgVector flink-rag-examples.jar \
 *     --bootstrap-servers kafka:9092 --topic documents [--group-id flink-rag] [--format JSON|RAW|DEBEZIUM_JSON] \
 *     --jdbc-url jdbc:postgresql://db:5432/rag --user rag [--password-env PGPASSWORD] [--table chunks] \
 *     [--checkpoint-interval-ms 10000] [--max-parallelism 128] [--bounded] [--embedding.cache.directory DIR] …
 * </pre>
 */
public final class KafkaToPgVector {

    private KafkaToPgVector() {}

    public static void main(String[] args) throws Exception {
        ParameterTool options = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = environment(options);
        IndexingPipeline.Embedded result = IndexingArguments.pipeline(documents(env, options), options);
        PgVectorChunks.sink(result, options);
        env.execute("flink-rag: Kafka " + options.get("topic") + " -> pgvector");
    }

    /** The environment of the Kafka examples: checkpoints every {@code --checkpoint-interval-ms}. */
    static StreamExecutionEnvironment environment(ParameterTool options) {
        StreamExecutionEnvironment env = JobDefaults.environment(Map.of());
        if (options.has("max-parallelism")) {
            env.setMaxParallelism(options.getInt("max-parallelism"));
        }
        env.enableCheckpointing(options.getLong("checkpoint-interval-ms", 10_000));
        return env;
    }

    /** The documents of {@code --topic}, read from {@code --bootstrap-servers} by consumer group {@code --group-id}. */
    static DataStream<DocumentChange> documents(StreamExecutionEnvironment env, ParameterTool options) {
        KafkaDocuments.Builder source = KafkaDocuments.builder()
                .bootstrapServers(options.getRequired("bootstrap-servers"))
                .topics(options.getRequired("topic"))
                .groupId(options.get("group-id", "flink-rag"))
                .format(KafkaDocumentFormat.valueOf(options.get("format", "JSON")));
        if (options.has("bounded")) {
            source.boundedToLatest();
        }
        return env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "kafka " + options.get("topic"))
                .uid("kafka-documents");
    }
}
