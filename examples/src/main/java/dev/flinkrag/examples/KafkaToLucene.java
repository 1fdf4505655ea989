package dev.flinkrag.examples;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.pipeline.IndexingPipeline;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

import java.nio.file.Path;

/**
 * Keeps a Lucene index equal to the documents in a Kafka topic, as {@link KafkaToPgVector} keeps a table: the same
 * source and pipeline options, a Lucene directory ({@code --index-dir}) instead of a table. The sink commits the
 * index with each checkpoint and runs as one task; on a cluster the directory must be on every TaskManager's disk
 * (shared storage), since the task may be placed on any of them after a failure.
 *
 * <pre>
 * flink run -c dev.flinkrag.examples.KafkaToLucene flink-rag-examples.jar \
 *     --bootstrap-servers kafka:9092 --topic documents [--group-id flink-rag] --index-dir /shared/index \
 *     [--checkpoint-interval-ms 10000] [--bounded] [--model.provider …] [--embedding.cache.directory DIR] …
 * </pre>
 */
public final class KafkaToLucene {

    private KafkaToLucene() {}

    public static void main(String[] args) throws Exception {
        ParameterTool options = ParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = KafkaToPgVector.environment(options);
        IndexingPipeline.Embedded result = IndexingArguments.pipeline(KafkaToPgVector.documents(env, options), options);
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(Path.of(options.getRequired("index-dir"))));
        result.deadLetters().print("dead letter").uid("dead-letters");
        env.execute("flink-rag: Kafka " + options.get("topic") + " -> Lucene");
    }
}
