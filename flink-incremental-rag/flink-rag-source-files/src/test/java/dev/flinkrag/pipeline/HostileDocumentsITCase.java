package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.chunking.EditStableSplitter;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.parsing.DocumentParsingFunction;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.parsing.UnreadableDocumentException;
import dev.flinkrag.pgvector.PgVectorDistance;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.source.folder.FolderSource;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.HostileDocuments;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testing.Prose;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.annotation.Nullable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline against 3,000 changes of 1,500 documents, most of them hostile (see {@link HostileDocuments}),
 * on a job that may not restart once: it must finish, keep checkpointing, index every good document, and end in
 * the index a from-scratch run of the final documents builds; every hostile document is either indexed as that run
 * indexes it or dead-lettered with a reason.
 */
class HostileDocumentsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final long SEED = 20261201;
    /** Short, so the 50,000-page PDF meets it; the defaults are documented in ParsingOptions. */
    private static final ParsingOptions PARSING = ParsingOptions.builder().timeout(Duration.ofSeconds(3)).build();

    private static final Queue<DeadLetter> DEAD_LETTERS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger CHECKPOINTS = new AtomicInteger();
    private static final AtomicInteger CHECKPOINTS_AT_SLOW_DEAD_LETTER = new AtomicInteger();
    private static final String SLOW_DOCUMENT = "report-of-50000-pages.pdf";

    @TempDir
    Path temp;

    @Test
    void noDocumentStopsTheIndexAndTheIndexEqualsAFromScratchRun() throws Exception {
        Map<HostileDocuments.Kind, Integer> versionsPerKind = new EnumMap<>(HostileDocuments.Kind.class);
        for (int document = 0; document < HostileDocuments.DOCUMENTS; document++) {
            for (int version = 1; version <= HostileDocuments.VERSIONS; version++) {
                versionsPerKind.merge(HostileDocuments.kindOf(SEED, document, version), 1, Integer::sum);
            }
        }
        int hostileVersions = versionsPerKind.entrySet().stream().filter(e -> e.getKey().hostile)
                .mapToInt(Map.Entry::getValue).sum();
        assertThat(hostileVersions).isGreaterThanOrEqualTo(2_000);

        DEAD_LETTERS.clear();
        CHECKPOINTS.set(0);
        Path incremental = temp.resolve("incremental");
        String pgVector = PostgresServer.get().createDatabase();
        run(LongStream.range(0, HostileDocuments.CHANGES).toArray(), incremental, PARSING, pgVector);
        List<DeadLetter> incrementalLetters = new ArrayList<>(DEAD_LETTERS);
        int checkpoints = CHECKPOINTS.get();

        DEAD_LETTERS.clear();
        Path fromScratch = temp.resolve("from-scratch");
        long lastVersions = (long) HostileDocuments.DOCUMENTS * (HostileDocuments.VERSIONS - 1);
        run(LongStream.range(lastVersions, HostileDocuments.CHANGES).toArray(), fromScratch);

        Map<String, IndexOracle.Entry> stored = IndexOracle.stored(incremental);
        assertThat(stored).isEqualTo(IndexOracle.stored(fromScratch));
        // PostgreSQL refuses more than Lucene (NUL, long B-tree keys): the same stream leaves the same entries
        assertThat(IndexOracle.storedInPgVector(pgVector, "chunks")).isEqualTo(stored);
        assertThat(checkpoints).as("checkpoints completed while the job ran").isGreaterThanOrEqualTo(10);

        // every final version: dead-lettered with a reason, or indexed exactly as its own chunks
        Function<String, List<String>> splitter = HashingEmbeddingModel.SPLITTING.createSplitter();
        Map<String, DeadLetter> lettersOfFinalVersions = new HashMap<>();
        for (DeadLetter letter : incrementalLetters) {
            assertThat(letter.reason()).as("reason of %s", letter.docId()).isNotBlank();
            if (letter.version() == HostileDocuments.VERSIONS || letter.version() == DeadLetter.UNKNOWN_VERSION) {
                lettersOfFinalVersions.put(letter.docId(), letter);
            }
        }
        Map<String, Map<String, IndexOracle.Entry>> storedByDocument = new HashMap<>();
        stored.forEach((id, entry) -> storedByDocument.computeIfAbsent((String) entry.metadata().get("doc_id"),
                doc -> new TreeMap<>()).put(id, entry));
        Map<HostileDocuments.Kind, int[]> outcomes = new EnumMap<>(HostileDocuments.Kind.class);
        List<Map.Entry<String, IndexOracle.Entry>> goodChunks = new ArrayList<>();
        for (int document = 0; document < HostileDocuments.DOCUMENTS; document++) {
            DocumentChange last = HostileDocuments.change(SEED, document, HostileDocuments.VERSIONS);
            HostileDocuments.Kind kind = HostileDocuments.kindOf(SEED, document, HostileDocuments.VERSIONS);
            Map<String, IndexOracle.Entry> chunks = storedByDocument.getOrDefault(last.docId(), Map.of());
            DeadLetter letter = lettersOfFinalVersions.get(last.docId());
            int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
            if (letter != null) {
                counts[1]++;
                assertThat(kind.hostile).as("good %s document %s dead-lettered: %s", kind, document, letter).isTrue();
                assertThat(chunks).as("chunks of dead-lettered %s", last.docId()).isEmpty();
                continue;
            }
            counts[0]++;
            Map<String, IndexOracle.Entry> expected = last.kind() == DocumentChange.Kind.DELETE ? Map.of()
                    : IndexOracle.fromScratch(List.of(textOf(last)), splitter, HashingEmbeddingModel::vectorOf);
            assertThat(chunks).as("chunks of %s document %s", kind, document).isEqualTo(expected);
            if (!kind.hostile && kind != HostileDocuments.Kind.DELETE) {
                assertThat(chunks).as("good document %s is indexed", document).isNotEmpty();
                goodChunks.add(chunks.entrySet().iterator().next());
            }
        }
        // and searchable: a search for a chunk of each good document, filtered to that document as the retrieval
        // API filters, finds it (unfiltered, 16-dimensional hash vectors are too alike for HNSW to tell apart)
        try (LuceneEmbeddingStore store = LuceneEmbeddingStore.openReadOnly(incremental)) {
            for (Map.Entry<String, IndexOracle.Entry> chunk : goodChunks) {
                List<EmbeddingMatch<TextSegment>> hits = store.search(EmbeddingSearchRequest.builder().maxResults(1)
                        .queryEmbedding(Embedding.from(HashingEmbeddingModel.vectorOf(chunk.getValue().text())))
                        .filter(MetadataFilterBuilder.metadataKey("doc_id")
                                .isEqualTo((String) chunk.getValue().metadata().get("doc_id")))
                        .build()).matches();
                assertThat(hits).as("top hit for chunk %s", chunk.getKey()).singleElement()
                        .extracting(EmbeddingMatch::embeddingId).isEqualTo(chunk.getKey());
            }
        }
        assertReason(lettersOfFinalVersions, 0, "parsing.max-text-length");
        assertReason(lettersOfFinalVersions, 4, "parsing.timeout");
        assertReason(lettersOfFinalVersions, 3, "maximum length for this record type"); // POI stops at 100 MB
        assertReason(lettersOfFinalVersions, 6, "docId");
        System.out.printf("hostile fuzz: %d changes (%d hostile), %d checkpoints, final versions per kind "
                + "[indexed, dead-lettered]:%n", HostileDocuments.CHANGES, hostileVersions, checkpoints);
        outcomes.forEach((kind, counts) -> System.out.printf("  %-28s versions %4d  final: indexed %4d, dead-lettered %4d%n",
                kind, versionsPerKind.get(kind), counts[0], counts[1]));
    }

    /**
     * A document Tika needs minutes for (50,000 pages) holds no checkpoint up: it is parsed beside the task thread
     * of a running folder job while checkpoints complete, until its time limit dead-letters it. A 1 GB file is never
     * read and a file over the parsing size limit never parsed; both are dead-lettered naming the limit.
     */
    @Test
    void slowAndHugeFilesAreDeadLetteredWhileCheckpointsComplete() throws Exception {
        DEAD_LETTERS.clear();
        CHECKPOINTS.set(0);
        CHECKPOINTS_AT_SLOW_DEAD_LETTER.set(-1);
        Path folder = Files.createDirectories(temp.resolve("folder"));
        Files.write(folder.resolve(SLOW_DOCUMENT), HostileDocuments.change(SEED, HostileDocuments.DOCUMENTS + 4).bytes());
        for (int i = 0; i < 20; i++) {
            Files.writeString(folder.resolve("good-" + i + ".txt"), new Prose(i).paragraph());
        }
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(folder.resolve("huge.txt").toFile(), "rw")) {
            sparse.setLength(1L << 30); // 1 GB on paper, nothing on disk
        }
        Files.write(folder.resolve("big.pdf"), new byte[24 << 20]);
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        env.enableCheckpointing(200);
        DataStream<DocumentChange> changes = env.fromSource(FolderSource.forFolder(folder)
                        .monitorContinuously(Duration.ofMillis(200)).extensions(Set.of("pdf", "txt"))
                        .maxFileBytes(32 << 20).build(),
                WatermarkStrategy.noWatermarks(), "folder");
        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag")
                .read(changes)
                .parse(ParsingOptions.builder().timeout(Duration.ofSeconds(8))
                        .maxDocumentSize(MemorySize.parse("16mb")).build())
                .chunk()
                .embed(HashingEmbeddingModel.modelProvider());
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("index")));
        // one instance, so each completed checkpoint is counted once
        result.deadLetters().map(new CollectDeadLetters()).returns(DeadLetter.class).setParallelism(1)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("slow document");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (CHECKPOINTS_AT_SLOW_DEAD_LETTER.get() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            job.cancel().get();
        }

        System.out.printf("checkpoints completed while the 50,000-page PDF was parsed: %d%n",
                CHECKPOINTS_AT_SLOW_DEAD_LETTER.get());
        assertThat(DEAD_LETTERS).filteredOn(letter -> letter.docId().equals(SLOW_DOCUMENT)).singleElement()
                .extracting(DeadLetter::reason).asString().contains("parsing.timeout");
        assertThat(CHECKPOINTS_AT_SLOW_DEAD_LETTER.get()).as("checkpoints completed while the PDF was parsed")
                .isGreaterThanOrEqualTo(5);
        assertThat(DEAD_LETTERS).filteredOn(letter -> letter.docId().equals("huge.txt")).singleElement()
                .extracting(DeadLetter::reason).asString().contains("1073741824 bytes, over the limit of 33554432");
        assertThat(DEAD_LETTERS).filteredOn(letter -> letter.docId().equals("big.pdf")).singleElement()
                .extracting(DeadLetter::reason).asString().contains("parsing.max-document-size");
        assertThat(IndexOracle.stored(temp.resolve("index")).values())
                .extracting(entry -> entry.metadata().get("doc_id")).contains("good-0.txt", "good-19.txt");
    }

    private static void assertReason(Map<String, DeadLetter> letters, int document, String expected) {
        assertThat(letters.get(HostileDocuments.docIdOf(document))).as("dead letter of document %s", document)
                .isNotNull().extracting(DeadLetter::reason).asString().contains(expected);
    }

    private static DocumentChange textOf(DocumentChange change) {
        if (change.text() != null) {
            return change;
        }
        try {
            return DocumentParsingFunction.parse(change);
        } catch (UnreadableDocumentException e) {
            throw new AssertionError("document " + change.docId() + " is not dead-lettered but cannot be read", e);
        }
    }

    private void run(long[] changeNumbers, Path index) throws Exception {
        run(changeNumbers, index, PARSING, null);
    }

    /** One job into Lucene (and pgvector, given its URL), restarts off: any failure fails the test. */
    private void run(long[] changeNumbers, Path index, ParsingOptions parsing, @Nullable String pgVector)
            throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // the job runs as fast as the single Lucene writer takes chunks: under that backpressure only unaligned
        // barriers show whether checkpoints keep completing
        configuration.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        StreamExecutionEnvironment env = TestClusters.environment(configuration, 2);
        env.enableCheckpointing(200);
        DataStream<DocumentChange> changes = env
                .fromData(TypeInformation.of(Long.class), LongStream.of(changeNumbers).boxed().toArray(Long[]::new))
                .map(new MakeChange())
                .returns(DocumentChange.class);
        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag")
                .read(changes)
                .parse(parsing)
                .chunk()
                .embed(HashingEmbeddingModel.modelProvider(), EmbeddingOptions.builder().maxBatchSize(32).build());
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index));
        if (pgVector != null) {
            result.chunks().sinkTo(PgVectorSink.<ChunkChange>builder()
                    .options(PgVectorOptions.builder().url(pgVector).username("postgres").table("chunks")
                            .dimension(HashingEmbeddingModel.DIMENSION).createTable(true)
                            // no HNSW index: what is tested is what PostgreSQL accepts, and it would triple the time
                            .hnswIndex(false, PgVectorDistance.COSINE, 16, 64)
                            .build())
                    .converter(new ChunkChangeConverter())
                    .build());
        }
        // one instance, so each completed checkpoint is counted once
        result.deadLetters().map(new CollectDeadLetters()).returns(DeadLetter.class).setParallelism(1)
                .sinkTo(new DiscardingSink<>());
        env.execute("hostile documents");
    }

    /** Makes each change from its number in the task, so 50 MB of text never travels in the job graph. */
    private static final class MakeChange implements MapFunction<Long, DocumentChange> {
        @Override
        public DocumentChange map(Long number) {
            return HostileDocuments.change(SEED, number);
        }
    }

    private static final class CollectDeadLetters implements MapFunction<DeadLetter, DeadLetter>, CheckpointListener {
        @Override
        public DeadLetter map(DeadLetter letter) {
            if (letter.docId().equals(SLOW_DOCUMENT)) {
                CHECKPOINTS_AT_SLOW_DEAD_LETTER.set(CHECKPOINTS.get());
            }
            DEAD_LETTERS.add(letter);
            return letter;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }
}
