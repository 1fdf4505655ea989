package dev.flinkrag.benchmarks;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneIndex;
import dev.flinkrag.lucene.LuceneIndexes;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.lucene.StoredEntry;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.sink.VectorSinkFactory;
import dev.flinkrag.source.folder.FolderSource;
import dev.flinkrag.testing.TextCorpus;
import dev.flinkrag.testutils.PostgresServer;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import javax.annotation.Nullable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Goal 5 of the performance issue: the whole pipeline in bulk, folder → parse → chunk (100 tokens) → embed
 * (in-process all-MiniLM-L6-v2-q) → Lucene or pgvector, in chunks per second, against the best raw {@code embedAll}
 * configuration of the same model on the very texts the pipeline stored (read back from its index). A bounded job
 * (one folder scan) on a local MiniCluster, timed from the first record the source emits to the job's end (every
 * chunk written and committed, the writer closed); the model is loaded in this JVM before any timing, as in the raw
 * runs. The same pipeline with its vectors discarded instead of stored shows flink-rag's own cost apart from the
 * store's (which builds its HNSW graph on the same cores). Paths alternate within each of {@value #ROUNDS} rounds;
 * each keeps its best round.
 *
 * <p>Writes {@code <results>/pipeline-throughput.md} and {@code .json}.
 */
public final class PipelineThroughputBenchmark {

    private static final int ROUNDS = 2;
    private static final int BUDGET = 100;
    static final AtomicLong FIRST_RECORD = new AtomicLong();
    /** The vector cache is per JVM: left on, every run after the first would find all its texts in it. */
    private static final EmbeddingOptions NO_CACHE = EmbeddingOptions.builder().cacheMaxBytes(0).build();

    private PipelineThroughputBenchmark() {}

    /** One timed pipeline run: the chunks it stored (-1 without a store) and how long it took. */
    private record Run(int stored, double seconds) {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        int cores = Runtime.getRuntime().availableProcessors();
        Path work = Files.createTempDirectory("flink-rag-pipeline-throughput");
        Path docs = work.resolve("docs");
        long bytes = writeCorpus(docs);
        String postgres = PostgresServer.get().createDatabase();

        EmbeddingModel libraryDefaults = new AllMiniLmL6V2QuantizedEmbeddingModel();
        EmbeddingModel tuned = InProcessModels.allMiniLmL6V2Q().create(); // the instance the pipeline's operator uses
        List<String> texts = chunkTexts(docs, work.resolve("warm-up"));
        EmbeddingThroughputBenchmark.rawThroughput(libraryDefaults, texts.subList(0, 256), 1);

        Map<String, Supplier<Run>> pipelines = new LinkedHashMap<>();
        AtomicInteger runs = new AtomicInteger();
        for (int parallelism : new int[] {1, cores}) {
            pipelines.put("flink-rag pipeline → Lucene, parallelism " + parallelism, () -> {
                Path index = work.resolve("lucene-" + runs.incrementAndGet());
                return run(docs, parallelism, LuceneSink.<ChunkChange>builder().indexPath(index), () -> luceneCount(index));
            });
        }
        pipelines.put("flink-rag pipeline → no store (vectors discarded), parallelism 1", () -> run(docs, 1, null, () -> -1));
        pipelines.put("flink-rag pipeline → pgvector (HNSW index), parallelism " + cores, () -> {
            String table = "chunks_" + runs.incrementAndGet();
            return run(docs, cores, PgVectorSink.<ChunkChange>builder().options(PgVectorOptions.builder().url(postgres)
                    .username("postgres").table(table).dimension(InProcessModels.ALL_MINILM_L6_V2_Q_DIMENSION)
                    .createTable(true).build()), () -> pgCount(postgres, table));
        });

        Map<String, Double> best = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            for (Map.Entry<String, Supplier<Run>> pipeline : pipelines.entrySet()) {
                Run run = pipeline.getValue().get();
                if (run.stored() != texts.size() && run.stored() != -1) {
                    throw new IllegalStateException(pipeline.getKey() + " stored " + run.stored() + " chunks, the "
                            + "warm-up run " + texts.size());
                }
                record(pipeline.getKey(), texts.size() / run.seconds(), best);
            }
            record("raw: LangChain4j AllMiniLmL6V2QuantizedEmbeddingModel, defaults, embedAll of 64",
                    EmbeddingThroughputBenchmark.rawThroughput(libraryDefaults, texts, 1), best);
            for (int threads = 1; threads <= cores + 1; threads++) {
                record("raw: one-thread ONNX session, " + threads + " calling thread(s), embedAll of 64",
                        EmbeddingThroughputBenchmark.rawThroughput(tuned, texts, threads), best);
            }
        }
        report(results, best, texts, bytes);
        System.exit(0); // the test PostgreSQL stops in a shutdown hook; MiniCluster threads would keep the JVM up
    }

    /** Every corpus document as one file: 54 files of real prose and Markdown. */
    static long writeCorpus(Path docs) throws Exception {
        long bytes = 0;
        for (TextCorpus.Text text : TextCorpus.all()) {
            Path file = docs.resolve(text.name());
            Files.createDirectories(file.getParent());
            Files.writeString(file, text.text());
            bytes += Files.size(file);
        }
        return bytes;
    }

    /** Indexes the folder once into Lucene (JIT warm-up) and returns the chunk texts it stored. */
    private static List<String> chunkTexts(Path docs, Path index) throws Exception {
        run(docs, 1, LuceneSink.<ChunkChange>builder().indexPath(index), () -> luceneCount(index));
        LuceneIndex lucene = LuceneIndexes.acquire(index);
        try {
            return lucene.all().stream().map(StoredEntry::text).toList();
        } finally {
            LuceneIndexes.release(lucene);
        }
    }

    /** Indexes {@code docs} into {@code store} ({@code null}: the embedded chunks are counted and dropped). */
    private static Run run(Path docs, int parallelism, @Nullable VectorSinkFactory<ChunkChange> store,
            Callable<Integer> count) {
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(parallelism);
            FIRST_RECORD.set(0);
            DataStream<DocumentChange> changes = env.fromSource(FolderSource.forFolder(docs).build(),
                            WatermarkStrategy.noWatermarks(), "folder")
                    .map(change -> {
                        FIRST_RECORD.compareAndSet(0, System.nanoTime());
                        return change;
                    })
                    .returns(DocumentChange.class);
            IndexingPipeline.Embedded embedded = IndexingPipeline.named("throughput").read(changes).parse()
                    .chunk(ChunkingOptions.editStable(BUDGET)).embed(InProcessModels.allMiniLmL6V2Q(), NO_CACHE);
            if (store == null) {
                embedded.chunks().sinkTo(new DiscardingSink<>());
            } else {
                embedded.sinkTo(store);
            }
            env.execute("flink-rag pipeline throughput");
            double seconds = (System.nanoTime() - FIRST_RECORD.get()) / 1e9;
            return new Run(count.call(), seconds);
        } catch (Exception e) {
            throw new IllegalStateException("pipeline run into " + (store == null ? "no store" : store.sinkName())
                    + " failed", e);
        }
    }

    private static int luceneCount(Path index) throws Exception {
        LuceneIndex lucene = LuceneIndexes.acquire(index);
        try {
            return lucene.count();
        } finally {
            LuceneIndexes.release(lucene);
        }
    }

    private static int pgCount(String url, String table) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
            count.next();
            return count.getInt(1);
        }
    }

    private static void record(String path, double rate, Map<String, Double> best) {
        System.out.printf("%-90s %8.1f chunks/s%n", path, rate);
        best.merge(path, rate, Math::max);
    }

    private static void report(Path results, Map<String, Double> best, List<String> texts, long bytes)
            throws Exception {
        TokenCountEstimator tokenizer = InProcessModels.allMiniLmL6V2QTokenizer().create();
        double meanTokens = texts.stream().mapToInt(tokenizer::estimateTokenCountInText).average().orElse(0);
        Map.Entry<String, Double> bestRaw = best.entrySet().stream().filter(e -> e.getKey().startsWith("raw"))
                .max(Map.Entry.comparingByValue()).orElseThrow();
        StringBuilder rows = new StringBuilder();
        List<Map<String, Object>> paths = new ArrayList<>();
        best.forEach((path, rate) -> {
            boolean pipeline = !path.startsWith("raw");
            rows.append(String.format("| %s | %.1f | %s |%n", path, rate,
                    pipeline ? String.format("**%.3f**", rate / bestRaw.getValue()) : ""));
            paths.add(Map.of("path", path, "chunksPerSecond", rate, "ofBestRaw", rate / bestRaw.getValue()));
        });
        String md = """
                # Goal 5: end-to-end bulk throughput

                The text corpus as %d files (%.1f MB) → parse → edit-stable chunks of %d tokens (%d chunks, mean %.0f
                tokens) → in-process all-MiniLM-L6-v2-q (vector cache off) → store, one bounded job on a local
                MiniCluster, timed from the source's first record to the job's end; raw = the same model on the same
                chunk texts, no Flink, no store; "no store" = the pipeline with its vectors discarded (flink-rag's own
                cost; a store's HNSW graph is built on the same cores). Best of %d rounds per path, paths alternating.
                %s

                | path | chunks/s | of best raw |
                |---|---|---|
                %s
                Best raw configuration: %s, %.1f chunks/s. Goal: pipeline / best raw >= 0.90.
                """.formatted(TextCorpus.all().size(), bytes / 1e6, BUDGET, texts.size(), meanTokens, ROUNDS,
                Results.provenance(PipelineThroughputBenchmark.class), rows,
                bestRaw.getKey().substring("raw: ".length()), bestRaw.getValue());
        Results.write(results, "pipeline-throughput", PipelineThroughputBenchmark.class, md,
                Map.of("chunks", texts.size(), "meanTokens", meanTokens, "paths", paths));
    }
}
