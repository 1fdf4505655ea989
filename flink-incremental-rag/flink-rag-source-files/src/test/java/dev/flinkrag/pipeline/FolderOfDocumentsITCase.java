package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.parsing.DocumentParsingFunction;
import dev.flinkrag.source.folder.FolderSource;
import dev.flinkrag.testing.FolderOracle;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testing.SampleFiles;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A folder of PDF, DOCX and HTML files (and two it cannot read) through the pipeline into a Lucene index. */
class FolderOfDocumentsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @TempDir
    Path temp;

    @Test
    void officeFilesAreIndexedAndUnreadableOnesDeadLettered() throws Exception {
        Path docs = Files.createDirectories(temp.resolve("docs"));
        Files.write(docs.resolve("report.pdf"), SampleFiles.pdf(false));
        Files.write(docs.resolve("notes.docx"), SampleFiles.docx());
        Files.writeString(docs.resolve("help.html"), "<html><head><title>Help</title></head><body><p>Run the "
                + "installer, then restart.</p></body></html>", StandardCharsets.UTF_8);
        Files.write(docs.resolve("secret.pdf"), SampleFiles.pdf(true));
        byte[] pdf = SampleFiles.pdf(false);
        Files.write(docs.resolve("broken.pdf"), Arrays.copyOf(pdf, pdf.length / 3));

        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        FolderSource source = FolderSource.forFolder(docs).extensions(Set.of("pdf", "docx", "html")).build();
        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag")
                .read(env.fromSource(source, WatermarkStrategy.noWatermarks(), "folder"))
                .parse()
                .chunk()
                .embed(HashingEmbeddingModel.modelProvider(), EmbeddingOptions.builder().maxBatchSize(4).build());
        Path index = temp.resolve("index");
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index).flushInterval(Duration.ofMillis(20)));
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<DeadLetter> letters = result.deadLetters().executeAndCollect()) {
            letters.forEachRemaining(deadLetters::add);
        }

        assertThat(deadLetters).extracting(DeadLetter::docId).containsExactlyInAnyOrder("secret.pdf", "broken.pdf");
        assertThat(deadLetters).anySatisfy(letter -> assertThat(letter.reason()).contains("encrypted"));
        List<DocumentChange> parsed = new ArrayList<>();
        for (String name : List.of("report.pdf", "notes.docx", "help.html")) {
            parsed.add(DocumentParsingFunction.parse(DocumentChange.upsertBytes(name, 1, Files.readAllBytes(
                    docs.resolve(name)), "application/octet-stream",
                    FolderOracle.metadata(docs, docs.resolve(name), "application/octet-stream", true), 0L)));
        }
        var expected = IndexOracle.fromScratch(parsed, HashingEmbeddingModel.SPLITTING.createSplitter(),
                HashingEmbeddingModel::vectorOf);
        assertThat(IndexOracle.stored(index)).isEqualTo(expected).hasSize(3);
        assertThat(expected.values()).extracting(entry -> entry.metadata().get("title"))
                .containsExactlyInAnyOrder("Quarterly report", "Meeting notes", "Help");
    }
}
