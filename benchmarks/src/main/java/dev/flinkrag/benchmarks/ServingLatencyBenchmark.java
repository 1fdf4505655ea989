package dev.flinkrag.benchmarks;

import dev.flinkrag.embedding.chat.FakeChatServer;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.serving.RagServer;
import dev.flinkrag.serving.ServingOptions;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;
import dev.flinkrag.testing.TextCorpus;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;

import org.apache.flink.configuration.Configuration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency of the server under 50 concurrent clients, against the same searches run in process: the live index of
 * 162 real files (the freshness benchmark's corpus, its job still running), questions taken from the corpus, k = 5.
 * The baseline is the bare store search ({@code embed(query)} with the same in-process model, then
 * {@code LuceneEmbeddingStore.search}) from 50 threads; {@code /v1/retrieve} adds HTTP, JSON, filters and the
 * worker pool; {@code /v2/answer} adds the answer's retrieval of 5 chunks, the prompt, and a call to a chat server
 * on loopback speaking OpenAI's protocol that answers at once (so the figure is the server's own cost, not a model's).
 *
 * <p>Writes {@code <results>/serving-latency.md} and {@code serving-latency.json}.
 */
public final class ServingLatencyBenchmark {

    private static final int CLIENTS = 50;
    private static final int REQUESTS_PER_CLIENT = 40;
    private static final int K = 5;
    private static final EmbeddingModel MODEL = InProcessModels.allMiniLmL6V2Q().create();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ServingLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        new ServingLatencyBenchmark().run(results);
        System.exit(0); // the MiniCluster's threads would keep the JVM up
    }

    private void run(Path results) throws Exception {
        Path work = Files.createTempDirectory("flink-rag-serving-latency");
        FreshnessBenchmark.writeCorpus(work.resolve("docs"));
        List<String> questions = questions();
        Configuration serving = new Configuration();
        serving.set(ServingOptions.PORT, 0);
        // as many workers as clients: the default 16 (and 16 waiting) would turn the 50th concurrent request into a 503
        serving.set(ServingOptions.WORKERS, CLIENTS);
        Configuration answering = serving.clone();
        try (LiveIndexJob live = LiveIndexJob.start(work.resolve("docs"), work.resolve("index"));
                FakeChatServer chat = new FakeChatServer();
                ServedIndex served = ServedIndex.lucene(live.store, "Lucene index");
                RagServer retrieving = RagServer.start(new Retriever(served, MODEL), AccessControl.open(), serving);
                RagServer answeringServer = RagServer.start(new Retriever(served, MODEL), AccessControl.open(),
                        withChat(answering, chat))) {
            live.awaitSettled();
            System.out.printf("index: %d chunks%n", live.store.count());
            Map<String, List<Long>> latencies = new LinkedHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            String retrieve = "http://127.0.0.1:" + retrieving.port() + "/v1/retrieve";
            String answer = "http://127.0.0.1:" + answeringServer.port() + "/v2/answer";
            Map<String, Query> queries = Map.of(
                    "bare store search", question -> {
                        EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                                .queryEmbedding(MODEL.embed(question).content()).maxResults(K).build();
                        if (live.store.search(request).matches().isEmpty()) {
                            failures.incrementAndGet();
                        }
                    },
                    "/v1/retrieve", question -> post(retrieve, "{\"query\": " + quoted(question) + ", \"k\": " + K + "}",
                            failures),
                    "/v2/answer", question -> post(answer, "{\"prompt\": " + quoted(question)
                            + ", \"return_context_docs\": false}", failures));
            for (String phase : List.of("bare store search", "/v1/retrieve", "/v2/answer")) {
                measure(queries.get(phase), questions, CLIENTS * 4); // warm-up: JIT, connections, caches
                latencies.put(phase, measure(queries.get(phase), questions, CLIENTS * REQUESTS_PER_CLIENT));
                System.out.printf("%s: p50 %.1f ms, p99 %.1f ms%n", phase, percentile(latencies.get(phase), 0.50),
                        percentile(latencies.get(phase), 0.99));
            }
            report(results, latencies, failures.get(), live.store.count());
        }
    }

    private static Configuration withChat(Configuration options, FakeChatServer chat) {
        options.setString("chat.provider", "openai");
        options.setString("chat.base-url", chat.baseUrl());
        options.setString("chat.model", "fake-chat");
        return options;
    }

    @FunctionalInterface
    private interface Query {
        void run(String question) throws Exception;
    }

    /** {@code requests} queries from {@value #CLIENTS} clients at once; each one's latency in nanos. */
    private static List<Long> measure(Query query, List<String> questions, int requests) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int first = client;
                futures.add(clients.submit(() -> {
                    List<Long> own = new ArrayList<>();
                    for (int i = first; i < requests; i += CLIENTS) {
                        long started = System.nanoTime();
                        query.run(questions.get(i % questions.size()));
                        own.add(System.nanoTime() - started);
                    }
                    return own;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> future : futures) {
                all.addAll(future.get());
            }
            return all;
        } finally {
            clients.shutdown();
        }
    }

    private void post(String url, String body, AtomicInteger failures) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            failures.incrementAndGet();
        }
    }

    /** The first 12 words of 400 random paragraphs of the corpus: questions whose answers are in the index. */
    private static List<String> questions() {
        List<String> paragraphs = new ArrayList<>();
        TextCorpus.all().forEach(text -> paragraphs.addAll(text.paragraphs()));
        Collections.shuffle(paragraphs, new Random(5));
        List<String> questions = new ArrayList<>();
        for (String paragraph : paragraphs) {
            String[] words = paragraph.strip().split("\\s+");
            if (words.length >= 12) {
                questions.add(String.join(" ", java.util.Arrays.copyOf(words, 12)));
            }
            if (questions.size() == 400) {
                break;
            }
        }
        return questions;
    }

    private static String quoted(String text) throws Exception {
        return Results.JSON.writeValueAsString(text);
    }

    private static double percentile(List<Long> nanos, double share) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(share * sorted.size()) - 1)) / 1e6;
    }

    private static void report(Path results, Map<String, List<Long>> latencies, int failures, int chunks)
            throws Exception {
        double bareP50 = percentile(latencies.get("bare store search"), 0.50);
        double bareP99 = percentile(latencies.get("bare store search"), 0.99);
        StringBuilder md = new StringBuilder("""
                # Serving latency under 50 concurrent clients

                The live Lucene index of 162 real files (%d chunks, its job running), %d clients at once, %d requests
                per phase after a warm-up, k = %d, questions from the corpus; all-MiniLM-L6-v2-q in process for the
                query vectors; /v2/answer with a loopback chat server (OpenAI protocol) that answers at once;
                server.workers %d. Failed requests: %d.
                %s

                | path | p50 ms | p99 ms | p50 / bare | p99 / bare |
                |---|---|---|---|---|
                """.formatted(chunks, CLIENTS, CLIENTS * REQUESTS_PER_CLIENT, K, CLIENTS, failures,
                Results.provenance(ServingLatencyBenchmark.class)));
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, List<Long>> phase : latencies.entrySet()) {
            double p50 = percentile(phase.getValue(), 0.50);
            double p99 = percentile(phase.getValue(), 0.99);
            md.append(String.format("| %s | %.1f | %.1f | %.2f | %.2f |%n", phase.getKey(), p50, p99, p50 / bareP50,
                    p99 / bareP99));
            data.put(phase.getKey(), Map.of("p50_ms", p50, "p99_ms", p99, "p50_ratio", p50 / bareP50,
                    "p99_ratio", p99 / bareP99));
        }
        data.put("failures", failures);
        md.append("""

                The query's vector (the model call, shared by all three) is most of every figure on 2 cores; the
                ratios are what HTTP, JSON, scoping and the answer path add to it.
                """);
        Results.write(results, "serving-latency", ServingLatencyBenchmark.class, md.toString(), data);
    }
}
