package dev.flinkrag.benchmarks;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingOperators;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.EmbeddingRequestMapper;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.testing.Prose;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P3: chunks per second through the embedding operator with the in-process all-MiniLM-L6-v2-q model, against
 * the best raw configuration of the same model on the same texts in the same JVM: LangChain4j's model class
 * with its defaults, and one-thread ONNX sessions called from 1 to cores + 1 threads. Three rounds; each path
 * keeps its best round. The operator also runs over LangChain4j's model class, to show what the tuning buys. The operator is timed from its first input record to its last output record
 * (job start-up excluded, as model loading is excluded from the raw runs).
 *
 * <p>Writes {@code <results dir>/embedding-throughput.md} and {@code .json}.
 */
public final class EmbeddingThroughputBenchmark {

    private static final int TEXTS = 1500;
    private static final int BATCH = 64;
    private static final int ROUNDS = 3;

    static final AtomicLong FIRST_IN = new AtomicLong();
    static final AtomicLong LAST_OUT = new AtomicLong();
    static final AtomicInteger OUT = new AtomicInteger();

    private EmbeddingThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> texts = chunkSizedTexts();
        EmbeddingModel libraryDefaults = new AllMiniLmL6V2QuantizedEmbeddingModel();
        EmbeddingModel tuned = InProcessModels.allMiniLmL6V2Q().create();
        // warm up both (JIT, ONNX arenas) on texts not measured
        List<String> warmUp = new Prose(99).paragraphs(64);
        rawThroughput(libraryDefaults, warmUp, 1);
        rawThroughput(tuned, warmUp, cores);

        Map<String, Double> best = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            record("LangChain4j AllMiniLmL6V2QuantizedEmbeddingModel, defaults, embedAll of " + BATCH,
                    rawThroughput(libraryDefaults, texts, 1), best);
            for (int threads = 1; threads <= cores + 1; threads++) {
                record("one-thread ONNX session, " + threads + " calling thread(s), embedAll of " + BATCH,
                        rawThroughput(tuned, texts, threads), best);
            }
            record("flink-rag embedding operator (parallelism 1, " + cores + " concurrent batches of " + BATCH + ")",
                    operatorThroughput(texts, cores, InProcessModels.allMiniLmL6V2Q()), best);
            record("same operator over LangChain4j's model class with its defaults",
                    operatorThroughput(texts, cores, new LibraryDefaultModel()), best);
        }
        String operatorKey = best.keySet().stream().filter(key -> key.startsWith("flink-rag")).findFirst().orElseThrow();
        double operator = best.get(operatorKey);
        Map.Entry<String, Double> bestRaw = best.entrySet().stream()
                .filter(e -> !e.getKey().contains("operator"))
                .max(Map.Entry.comparingByValue()).orElseThrow();

        StringBuilder table = new StringBuilder();
        best.forEach((path, rate) -> table.append(String.format("| %s | %.1f |%n", path, rate)));
        String report = String.format("""
                # P3: embedding throughput, in-process all-MiniLM-L6-v2-q

                %d distinct chunk-sized texts (%d–%d tokens, mean %.0f), best of %d rounds per path.
                %s

                | path | chunks/s |
                |---|---|
                %s
                Best raw configuration: %s, %.1f chunks/s.
                Operator / best raw: **%.3f** (goal >= 0.90). Operator / LangChain4j defaults: %.3f.
                """, texts.size(), minTokens, maxTokens, meanTokens, ROUNDS,
                Results.provenance(EmbeddingThroughputBenchmark.class), table, bestRaw.getKey(),
                bestRaw.getValue(), operator / bestRaw.getValue(),
                operator / best.entrySet().iterator().next().getValue());
        Results.write(results, "embedding-throughput", EmbeddingThroughputBenchmark.class, report, Map.of(
                "chunksPerSecond", best, "operatorOfBestRaw", operator / bestRaw.getValue()));
    }

    private static int minTokens = Integer.MAX_VALUE;
    private static int maxTokens;
    private static double meanTokens;

    /** Prose packed sentence by sentence up to what the model reads, as the chunker would size it. */
    private static List<String> chunkSizedTexts() {
        TokenCountEstimator tokenizer = InProcessModels.allMiniLmL6V2QTokenizer().create();
        Prose prose = new Prose(3);
        List<String> texts = new ArrayList<>();
        long tokenSum = 0;
        while (texts.size() < TEXTS) {
            StringBuilder text = new StringBuilder(prose.sentence());
            while (true) {
                String next = prose.sentence();
                if (tokenizer.estimateTokenCountInText(text + " " + next) > InProcessModels.ALL_MINILM_L6_V2_Q_MAX_TOKENS) {
                    break;
                }
                text.append(' ').append(next);
            }
            int tokens = tokenizer.estimateTokenCountInText(text.toString());
            minTokens = Math.min(minTokens, tokens);
            maxTokens = Math.max(maxTokens, tokens);
            tokenSum += tokens;
            texts.add(text.toString());
        }
        meanTokens = (double) tokenSum / texts.size();
        return texts;
    }

    private static void record(String path, double rate, Map<String, Double> best) {
        System.out.printf("%-100s %8.1f chunks/s%n", path, rate);
        best.merge(path, rate, Math::max);
    }

    /** {@code threads} callers take batches of {@link #BATCH} texts from a shared cursor until all are embedded. */
    static double rawThroughput(EmbeddingModel model, List<String> texts, int threads) throws Exception {
        AtomicInteger cursor = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            callers.add(pool.submit(() -> {
                for (int from = cursor.getAndAdd(BATCH); from < texts.size(); from = cursor.getAndAdd(BATCH)) {
                    List<TextSegment> batch = texts.subList(from, Math.min(from + BATCH, texts.size())).stream()
                            .map(TextSegment::from).toList();
                    model.embedAll(batch);
                }
            }));
        }
        for (Future<?> caller : callers) {
            caller.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        return texts.size() / seconds;
    }

    static final class TextMapper implements EmbeddingRequestMapper<String, Integer> {
        @Override
        public String textToEmbed(String text) {
            return text;
        }

        @Override
        public Integer withVector(String text, float[] vector) {
            return vector.length;
        }
    }

    /** LangChain4j's own model class, as a user would pass it without flink-rag's tuning. */
    static final class LibraryDefaultModel implements EmbeddingModelProvider {
        private static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();

        @Override
        public EmbeddingModel create() {
            return MODEL;
        }

        @Override
        public String modelId() {
            return "all-minilm-l6-v2-q (LangChain4j defaults)";
        }
    }

    private static double operatorThroughput(List<String> texts, int concurrentBatches, EmbeddingModelProvider model)
            throws Exception {
        FIRST_IN.set(0);
        OUT.set(0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        EmbeddingOptions options = EmbeddingOptions.builder().maxBatchSize(BATCH)
                .maxConcurrentBatches(concurrentBatches).cacheMaxBytes(0).build();
        var input = env.fromData(texts).map(text -> {
            FIRST_IN.compareAndSet(0, System.nanoTime());
            return text;
        }).returns(Types.STRING);
        EmbeddingOperators.embed(input, model, new TextMapper(), options, Types.INT).embedded()
                .map(dimension -> {
                    OUT.incrementAndGet();
                    LAST_OUT.set(System.nanoTime());
                    return dimension;
                })
                .returns(Types.INT)
                .sinkTo(new DiscardingSink<>());
        env.execute("P3 embedding throughput");
        if (OUT.get() != texts.size()) {
            throw new IllegalStateException("operator emitted " + OUT.get() + " of " + texts.size() + " texts");
        }
        return texts.size() / ((LAST_OUT.get() - FIRST_IN.get()) / 1e9);
    }
}
