package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.testing.DocumentHistory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The invariant with pgvector as the store: after failovers, the table equals a from-scratch index. */
class IncrementalIndexingPgVectorITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();


    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {91, 92})
    void randomHistoriesWithFailoversEndInTheFromScratchIndex(long seed) throws Exception {
        DocumentHistory history = DocumentHistory.random(seed, 10, 200);
        String url = indexWithFailovers(history, new PassThrough());
        assertThat(IndexOracle.storedInPgVector(url, "chunks")).isEqualTo(fromScratch(history)).hasSizeGreaterThan(50);
    }

    /**
     * A source that reads the current state after a failure (as the folder source does) never replays the
     * versions the store received after the last checkpoint: their chunks must still go. Failed before the
     * chunker sent each document's chunk list (rows of lost versions stayed in the table).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {93, 94, 95})
    void aSourceThatReadsNewerStateAfterAFailureLeavesNoChunksOfLostVersions(long seed) throws Exception {
        DocumentHistory history = DocumentHistory.random(seed, 10, 200);
        String url = indexWithFailovers(history, new CurrentStateAfterRestart(history.finalDocuments()));
        assertThat(IndexOracle.storedInPgVector(url, "chunks")).isEqualTo(fromScratch(history));
    }

    private static String indexWithFailovers(DocumentHistory history, MapFunction<DocumentChange, DocumentChange> source)
            throws Exception {
        String url = PostgresServer.get().createDatabase();
        int changes = history.changes().size();
        InjectedFailures.reset();
        StreamExecutionEnvironment env = TestClusters.restarting(2);
        var documents = env.fromData(TypeInformation.of(DocumentChange.class),
                        history.changes().toArray(DocumentChange[]::new))
                .map(new InjectedFailures<>(changes / 4, changes / 2, changes * 3 / 4))
                .setParallelism(1)
                .map(source)
                .setParallelism(1);
        IndexingPipeline.named("test")
                .read(documents)
                .parse()
                .chunk()
                .embed(HashingEmbeddingModel.modelProvider(), EmbeddingOptions.builder().maxBatchSize(8).build())
                // the model's dimension and the pipeline's converter go to the sink
                .sinkTo(PgVectorSink.<ChunkChange>builder()
                        .options(PgVectorOptions.builder().url(url).username("postgres").table("chunks").createTable(true)
                                .build())
                        .flushInterval(Duration.ofMillis(20)));
        env.execute("incremental indexing into pgvector");
        assertThat(InjectedFailures.FAILURES).hasValue(3);
        return url;
    }

    private static Map<String, IndexOracle.Entry> fromScratch(DocumentHistory history) {
        return IndexOracle.fromScratch(history.finalDocuments(), HashingEmbeddingModel.SPLITTING.createSplitter(),
                HashingEmbeddingModel::vectorOf);
    }

    private static final class PassThrough implements MapFunction<DocumentChange, DocumentChange> {
        @Override
        public DocumentChange map(DocumentChange change) {
            return change;
        }
    }

    /**
     * After a restart, every change carries the document as it is at the end of the history instead (deleted if
     * it is gone by then), under the change's version: what a source that re-reads current state emits.
     */
    private static final class CurrentStateAfterRestart extends RichMapFunction<DocumentChange, DocumentChange> {
        private final HashMap<String, String> finalTexts = new HashMap<>();
        private final HashMap<String, HashMap<String, String>> finalMetadata = new HashMap<>();

        CurrentStateAfterRestart(List<DocumentChange> finalDocuments) {
            for (DocumentChange document : finalDocuments) {
                finalTexts.put(document.docId(), document.text());
                finalMetadata.put(document.docId(), new HashMap<>(document.metadata()));
            }
        }

        @Override
        public DocumentChange map(DocumentChange change) {
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                return change;
            }
            String text = finalTexts.get(change.docId());
            return text == null
                    ? DocumentChange.delete(change.docId(), change.version(), change.sourceTimestamp())
                    : DocumentChange.upsert(change.docId(), change.version(), text, finalMetadata.get(change.docId()));
        }
    }
}
