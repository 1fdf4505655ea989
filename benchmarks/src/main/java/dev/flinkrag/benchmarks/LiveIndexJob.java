package dev.flinkrag.benchmarks;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.source.folder.FolderSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The local example's job, as benchmarks run it in their own JVM: folder source (operating-system notifications
 * plus a 500 ms scan), parsing, edit-stable chunks of 100 tokens, in-process all-MiniLM-L6-v2-q, Lucene, parallelism
 * 2, network buffers flushed after 5 ms. Probes on the pipeline's own streams (side branches of the same operators)
 * record when each stage first saw a record of a document.
 */
final class LiveIndexJob implements AutoCloseable {

    /** The stages a change passes, in order; the last one ends when a reader sees it. */
    static final List<String> STAGES = List.of("detect", "parse", "chunk", "embed", "sink");
    /** Processing times (nanos) at which a stage saw a record of a document: "stage|doc id" → times. */
    private static final Map<String, ConcurrentLinkedQueue<Long>> SEEN = new ConcurrentHashMap<>();

    private final JobClient job;
    final LuceneEmbeddingStore store;

    private LiveIndexJob(JobClient job, LuceneEmbeddingStore store) {
        this.job = job;
        this.store = store;
    }

    static LiveIndexJob start(Path docs, Path index) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(Map.of("execution.checkpointing.interval", "2 s")));
        env.setParallelism(2);
        env.setBufferTimeout(5);
        DataStream<DocumentChange> changes = env.fromSource(
                FolderSource.forFolder(docs).monitorContinuously(Duration.ofMillis(500)).build(),
                WatermarkStrategy.noWatermarks(), "folder");
        probe(changes, "detect", DocumentChange::docId);
        IndexingPipeline.Parsed parsed = IndexingPipeline.named("benchmark").read(changes).parse();
        probe(parsed.documents(), "parse", DocumentChange::docId);
        IndexingPipeline.Chunked chunked = parsed.chunk(ChunkingOptions.editStable(100));
        IndexingPipeline.Embedded embedded = chunked.embed(InProcessModels.allMiniLmL6V2Q());
        probe(chunked.chunks(), "chunk", LiveIndexJob::changedChunkOf);
        probe(embedded.chunks(), "embed", LiveIndexJob::changedChunkOf);
        embedded.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index));
        JobClient job = env.executeAsync("flink-rag benchmark index");
        Files.createDirectories(index);
        return new LiveIndexJob(job, LuceneEmbeddingStore.open(index));
    }

    /** Waits until the index holds as many chunks for 3 s: the first pass is done. */
    void awaitSettled() throws InterruptedException {
        int last = -1;
        long stableSince = System.nanoTime();
        while (true) {
            int count = store.count();
            if (count != last) {
                last = count;
                stableSince = System.nanoTime();
            } else if (count > 0 && System.nanoTime() - stableSince > 3_000_000_000L) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Nanos spent in each stage by the first change of {@code docId} made at {@code from}, seen at {@code to}. */
    static long[] stages(String docId, long from, long to) {
        long[] nanos = new long[STAGES.size()];
        long previous = from;
        for (int i = 0; i < STAGES.size() - 1; i++) {
            String stage = STAGES.get(i);
            long seen = SEEN.getOrDefault(stage + "|" + docId, new ConcurrentLinkedQueue<>()).stream()
                    .filter(time -> time >= from).min(Long::compare)
                    .orElseThrow(() -> new IllegalStateException("stage " + stage + " never saw " + docId));
            nanos[i] = seen - previous;
            previous = seen;
        }
        nanos[STAGES.size() - 1] = to - previous;
        return nanos;
    }

    /** The stages that saw {@code docId} since {@code from}, and the job's status: for a change that never arrives. */
    String progressOf(String docId, long from) throws Exception {
        List<String> seen = STAGES.stream().filter(stage -> SEEN.getOrDefault(stage + "|" + docId,
                new ConcurrentLinkedQueue<>()).stream().anyMatch(time -> time >= from)).toList();
        return "stages that saw " + docId + ": " + seen + "; job " + job.getJobStatus().get();
    }

    private static <T> void probe(DataStream<T> stream, String stage, SerializableFunction<T, String> docIdOf) {
        stream.process(new Probe<>(stage, docIdOf)).returns(Types.VOID).name("probe " + stage)
                .sinkTo(new DiscardingSink<>()).name("probe " + stage);
    }

    /** The document of a chunk that was added or removed (not of a document's chunk list or a moved chunk). */
    private static String changedChunkOf(ChunkChange change) {
        return change.isDocumentChunks() || change.kind() == RowKind.UPDATE_AFTER ? null : change.docId();
    }

    /** Records when a stage saw a record of a document. */
    private static final class Probe<T> extends ProcessFunction<T, Void> {
        private final String stage;
        private final SerializableFunction<T, String> docIdOf;

        Probe(String stage, SerializableFunction<T, String> docIdOf) {
            this.stage = stage;
            this.docIdOf = docIdOf;
        }

        @Override
        public void processElement(T value, Context context, Collector<Void> out) {
            String docId = docIdOf.apply(value);
            if (docId != null) {
                long now = System.nanoTime();
                SEEN.computeIfAbsent(stage + "|" + docId, key -> new ConcurrentLinkedQueue<>()).add(now);
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            job.cancel().get();
        } finally {
            store.close();
        }
    }
}
