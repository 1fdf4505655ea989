package dev.flinkrag.examples;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.common.Secret;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.source.folder.FolderSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's DataStream snippet is this class's {@link #handbookIndex()}: it compiles, and the two do not drift. */
class ReadmeSnippetTest {

    @SuppressWarnings("unused") // compiled, not run: it needs a folder and a database
    static void handbookIndex() throws Exception {
        // README:begin
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(5_000);
        DataStream<DocumentChange> changes = env.fromSource(
                FolderSource.forFolder(Path.of("/data/handbook")).monitorContinuously(Duration.ofSeconds(1)).build(),
                WatermarkStrategy.noWatermarks(), "handbook");

        IndexingPipeline.Embedded handbook = IndexingPipeline.named("handbook")   // operator uids: handbook-…
                .read(changes)
                .parse(ParsingOptions.defaults())          // PDF, DOCX, HTML, … with flink-rag-parser-tika
                .chunk(ChunkingOptions.editStable(100))    // edit-stable, counted with the model's own tokenizer
                .embed(InProcessModels.allMiniLmL6V2Q());  // the model knows its tokenizer and dimension

        handbook.sinkTo(PgVectorSink.<ChunkChange>builder().options(PgVectorOptions.builder()
                .url("jdbc:postgresql://db:5432/rag").username("rag").password(Secret.fromEnvironment("PGPASSWORD"))
                .table("chunks").createTable(true).build()));  // or LuceneSink.<ChunkChange>builder().indexPath(…)
        handbook.deadLetters().print();                       // what could not be indexed, and why

        env.execute("handbook index");
        // README:end
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("ReadmeSnippetTest\\.java -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(block.find()).as("the README's compiled java block").isTrue();
        String source = Files.readString(Path.of("src/test/java/dev/flinkrag/examples/ReadmeSnippetTest.java"));
        String here = source.substring(source.indexOf("// README:begin") + "// README:begin".length(),
                source.indexOf("// README:end"));
        assertThat(normalized(block.group(1))).isEqualTo(normalized(here));
    }

    private static String normalized(String code) {
        return code.replaceAll("\\s+", " ").strip();
    }
}
