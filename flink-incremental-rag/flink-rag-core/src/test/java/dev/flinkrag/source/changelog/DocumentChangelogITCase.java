package dev.flinkrag.source.changelog;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A changelog Table of documents (inserts, updates, deletes) through the adapter into the index. */
class DocumentChangelogITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @TempDir
    Path temp;

    @Test
    void aChangelogTableEndsInTheIndexOfItsFinalRowsAndNullBodiesAreDeadLettered() throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        Table documents = tables.fromChangelogStream(
                env.fromData(Types.ROW_NAMED(new String[] {"id", "body", "title"}, Types.STRING, Types.STRING, Types.STRING),
                        Row.ofKind(RowKind.INSERT, "a", "First text of document a.", "A"),
                        Row.ofKind(RowKind.INSERT, "b", "Document b, deleted later.", "B"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, "a", "First text of document a.", "A"),
                        Row.ofKind(RowKind.UPDATE_AFTER, "a", "Second text of document a, after an edit.", "A2"),
                        Row.ofKind(RowKind.INSERT, "c", null, "C"),
                        Row.ofKind(RowKind.DELETE, "b", "Document b, deleted later.", "B"),
                        Row.ofKind(RowKind.INSERT, "d", "Document d stays.", "D")),
                Schema.newBuilder().primaryKey("id").build(), ChangelogMode.all());
        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag")
                .read(DocumentChangelog.of(tables, documents).idColumn("id").textColumn("body").changes())
                .parse()
                .chunk()
                .embed(HashingEmbeddingModel.modelProvider(), EmbeddingOptions.builder().maxBatchSize(4).build());
        Path index = temp.resolve("index");
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index).flushInterval(Duration.ofMillis(20)));
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<DeadLetter> letters = result.deadLetters().executeAndCollect()) {
            letters.forEachRemaining(deadLetters::add);
        }

        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.docId()).isEqualTo("c");
            assertThat(letter.reason()).contains("column 'body' is NULL");
        });
        Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(List.of(
                        DocumentChange.upsert("a", 1, "Second text of document a, after an edit.", Map.of("title", "A2")),
                        DocumentChange.upsert("d", 1, "Document d stays.", Map.of("title", "D"))),
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf);
        assertThat(IndexOracle.stored(index)).isEqualTo(expected);
    }
}
