package dev.flinkrag.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

/**
 * The one report over every benchmark's {@code <name>.json} in the results directory: a table of the headline figures
 * against their goals (each with the machine, date and command that measured it) and the plots, written to
 * {@code <results>/README.md} and {@code <results>/plots/*.png}, and the table copied into the project README between
 * its {@code benchmark-summary} markers. Figures come from the last run of each benchmark; a benchmark not run yet is
 * left out.
 */
public final class BenchmarkReport {

    static final String START = "<!-- benchmark-summary:start -->";
    static final String END = "<!-- benchmark-summary:end -->";

    private final Path results;
    private final List<String> rows = new ArrayList<>();
    private final List<String> plots = new ArrayList<>();

    private BenchmarkReport(Path results) {
        this.results = results;
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results").toAbsolutePath();
        new BenchmarkReport(results).write();
    }

    private void write() throws IOException {
        Files.createDirectories(results.resolve("plots"));
        freshness();
        storeWrites();
        chunkStability();
        incrementalVsRebuild();
        pipelineThroughput();
        sinkThroughput();
        embeddingThroughput();
        requestsPerChunk();
        sqlRequestsPerChunk();
        sqlIndexThroughput();
        servingLatency();
        String table = "| figure | measured | goal | met | measured on, by |\n|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n";
        String section = table + "\nPlots: " + String.join(" · ", plots) + "\n";
        Files.writeString(results.resolve("README.md"), "# Benchmark results\n\nThe headline figure of each benchmark "
                + "(details in its own `.md` next to this file); regenerate with `mvn -B -q -pl benchmarks exec:exec "
                + "-Dbenchmark=BenchmarkReport`, run everything with `-Dbenchmark=AllBenchmarks`.\n\n"
                + section.replace("](benchmarks/results/", "]("));
        Path readme = results.getParent().getParent().resolve("README.md");
        if (Files.exists(readme)) {
            String text = Files.readString(readme);
            int start = text.indexOf(START);
            int end = text.indexOf(END);
            if (start >= 0 && end > start) {
                Files.writeString(readme, text.substring(0, start + START.length()) + "\n" + section
                        + text.substring(end));
                System.out.println("updated the summary in " + readme);
            }
        }
        System.out.print(section);
    }

    private JsonNode read(String name) throws IOException {
        Path file = results.resolve(name + ".json");
        return Files.exists(file) ? Results.JSON.readTree(file.toFile()) : null;
    }

    /** A row of the table; {@code met} is null for a figure without a goal. */
    private void row(JsonNode result, String name, String figure, String measured, String goal, Boolean met) {
        rows.add(String.format("| %s | %s | %s | %s | [%s](benchmarks/results/%s.md), %s, %s |", figure, measured, goal,
                met == null ? "—" : met ? "yes" : "**no**", result.path("benchmark").asText(), name, result.path("date").asText(),
                result.path("machine").asText()));
    }

    private Path plot(String file, String title) {
        plots.add("[" + title + "](benchmarks/results/plots/" + file + ")");
        return results.resolve("plots").resolve(file);
    }

    private static List<Double> numbers(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asDouble).toList();
    }

    private static double percentile(List<Double> values, double share) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
    }

    private void freshness() throws IOException {
        JsonNode result = read("freshness");
        if (result == null) {
            return;
        }
        List<Double> appends = numbers(result.path("data").path("appendMillis"));
        List<Double> deletes = numbers(result.path("data").path("deleteMillis"));
        double p50 = percentile(appends, 0.5);
        double p99 = percentile(appends, 0.99);
        double deleteP50 = percentile(deletes, 0.5);
        row(result, "freshness", "Freshness: one-sentence append → visible in /v1/retrieve",
                String.format("p50 %.0f ms, p99 %.0f ms; delete p50 %.0f ms", p50, p99, deleteP50),
                "p50 <= 150 ms, p99 <= 500 ms, delete as fast", p50 <= 150 && p99 <= 500 && deleteP50 <= 150);
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        samples.put("append a sentence", appends);
        samples.put("delete a file", deletes);
        Plots.cdf(plot("freshness-cdf.png", "freshness CDF"), "Change on disk → visible in /v1/retrieve", "milliseconds",
                samples);
    }

    private void storeWrites() throws IOException {
        JsonNode result = read("store-writes");
        if (result == null) {
            return;
        }
        Map<String, Map<Double, Double>> points = new LinkedHashMap<>();
        double worstExcess = 0;
        for (JsonNode size : result.path("data")) {
            String layout = size.path("layout").asText();
            points.computeIfAbsent(layout.equals("records") ? "document records (Lucene, pgvector)"
                    : "metadata on every chunk", key -> new TreeMap<>())
                    .put(size.path("chunks").asDouble(), size.path("writtenPerEdit").asDouble());
            if (layout.equals("records")) {
                worstExcess = Math.max(worstExcess, size.path("writtenPerEdit").asDouble()
                        - size.path("newChunksPerEdit").asDouble());
            }
        }
        row(result, "store-writes", "Store writes per single-paragraph edit, documents of 179–702 chunks",
                String.format("new chunks + %.2f (mean)", worstExcess), "<= new chunks + 2", worstExcess <= 2);
        Plots.lines(plot("store-writes.png", "store writes vs document size"), "Entries written per edit",
                "chunks in the document", "entries written per edit (log)", points, true);
    }

    private void chunkStability() throws IOException {
        JsonNode result = read("chunk-stability");
        if (result == null) {
            return;
        }
        Predicate<JsonNode> ours = row -> row.path("splitter").asText().equals("flink-rag");
        List<JsonNode> all = StreamSupport.stream(result.path("data").spliterator(), false).toList();
        double fill = all.stream().filter(ours).mapToDouble(row -> row.path("fill").asDouble()).min().orElse(0);
        double mean = all.stream().filter(ours).mapToDouble(row -> row.path("mean").asDouble()).max().orElse(0);
        int p90 = all.stream().filter(ours).mapToInt(row -> row.path("p90").asInt()).max().orElse(0);
        int max = all.stream().filter(ours).mapToInt(row -> row.path("max").asInt()).max().orElse(0);
        row(result, "chunk-stability", "Chunks at 100 and 300 tokens, with and without paragraph breaks: fill; chunks "
                        + "re-embedded per edit, worst cell",
                String.format("fill >= %.2f; mean <= %.2f, p90 <= %d, max <= %d", fill, mean, p90, max),
                "fill >= 0.60; mean <= 2.0, p90 <= 3, max <= 8", fill >= 0.6 && mean <= 2.0 && p90 <= 3 && max <= 8);
        for (int budget : new int[] {100, 300}) {
            // share of edits that re-embedded n chunks, per splitter, over both layouts and every kind of edit
            Map<String, Map<Integer, Double>> counts = new LinkedHashMap<>();
            for (JsonNode row : all) {
                if (row.path("budget").asInt() == budget) {
                    Map<Integer, Double> bySize = counts.computeIfAbsent(row.path("splitter").asText(), key -> new TreeMap<>());
                    row.path("reembedded").fields().forEachRemaining(entry -> bySize.merge(
                            Math.min(Integer.parseInt(entry.getKey()), 9), entry.getValue().asDouble(), Double::sum));
                }
            }
            Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
            for (int n = 0; n <= 9; n++) {
                String category = n == 9 ? "9+" : Integer.toString(n);
                for (Map.Entry<String, Map<Integer, Double>> splitter : counts.entrySet()) {
                    double edits = splitter.getValue().values().stream().mapToDouble(Double::doubleValue).sum();
                    bars.computeIfAbsent(category, key -> new LinkedHashMap<>()).put(splitter.getKey(),
                            splitter.getValue().getOrDefault(n, 0.0) / edits);
                }
            }
            Plots.bars(plot("chunk-stability-" + budget + ".png", "re-embedded per edit at " + budget + " tokens"),
                    "Chunks re-embedded per single-paragraph edit, " + budget + "-token budget",
                    "chunks re-embedded", "share of edits", bars, false, false);
        }
    }

    private void incrementalVsRebuild() throws IOException {
        JsonNode result = read("incremental-vs-rebuild");
        if (result == null) {
            return;
        }
        JsonNode data = result.path("data");
        double incremental = numbers(data.path("incrementalMillis")).stream().mapToDouble(Double::doubleValue).min()
                .orElse(0) / 1000;
        double rebuild = numbers(data.path("rebuildSeconds")).stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double ratio = data.path("ratio").asDouble();
        row(result, "incremental-vs-rebuild", "P2: 1 % of 2,000 documents edited → fresh, vs a full rebuild",
                String.format("%.2f s vs %.1f s = %.4f", incremental, rebuild, ratio), "<= 0.01", ratio <= 0.01);
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        bars.put("flink-rag: 20 edited documents fresh", Map.of("seconds", incremental));
        bars.put("LangChain4j EmbeddingStoreIngestor: rebuild", Map.of("seconds", rebuild));
        Plots.bars(plot("incremental-vs-rebuild.png", "P2 bars"), "Keeping 2,000 documents fresh vs rebuilding them",
                "", "seconds (log)", bars, true, true);
    }

    private void pipelineThroughput() throws IOException {
        JsonNode result = read("pipeline-throughput");
        if (result == null) {
            return;
        }
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (JsonNode path : result.path("data").path("paths")) {
            String name = path.path("path").asText();
            double rate = path.path("chunksPerSecond").asDouble();
            bars.put(name.replace("flink-rag pipeline ", "").replace("one-thread ONNX session", "ONNX")
                    .replace("AllMiniLmL6V2QuantizedEmbeddingModel", "model class").replace(", embedAll of 64", ""),
                    Map.of("chunks/s", rate));
            if (!name.startsWith("raw")) {
                double ofRaw = path.path("ofBestRaw").asDouble();
                boolean stored = !name.contains("no store");
                row(result, "pipeline-throughput", "Bulk: " + name.replace("flink-rag pipeline ", "folder ")
                        + ", of the best raw embedAll", String.format("%.0f chunks/s = %.3f", rate, ofRaw),
                        stored ? ">= 0.90" : "none: flink-rag's own cost", stored ? ofRaw >= 0.9 : null);
            }
        }
        Plots.bars(plot("throughput.png", "throughput vs the raw model"), "Bulk indexing vs the model alone",
                "", "chunks per second", bars, false, true);
    }

    private void sinkThroughput() throws IOException {
        JsonNode result = read("sink-throughput");
        if (result == null) {
            return;
        }
        JsonNode data = result.path("data");
        row(result, "sink-throughput", "Lucene sink vs raw `LuceneIndex.apply`",
                String.format("%.3f", data.path("luceneSinkOfRaw").asDouble()), ">= 0.90",
                data.path("luceneSinkOfRaw").asDouble() >= 0.9);
        row(result, "sink-throughput", "pgvector sink vs raw JDBC batches (no index / HNSW)",
                String.format("%.3f / %.3f", data.path("pgvectorSinkOfRaw").asDouble(),
                        data.path("pgvectorHnswSinkOfRaw").asDouble()), ">= 0.80",
                Math.min(data.path("pgvectorSinkOfRaw").asDouble(), data.path("pgvectorHnswSinkOfRaw").asDouble()) >= 0.8);
    }

    private void embeddingThroughput() throws IOException {
        JsonNode result = read("embedding-throughput");
        if (result != null) {
            double ratio = result.path("data").path("operatorOfBestRaw").asDouble();
            row(result, "embedding-throughput", "Embedding operator vs the best raw embedAll",
                    String.format("%.3f", ratio), ">= 0.90", ratio >= 0.9);
        }
    }

    private void requestsPerChunk() throws IOException {
        JsonNode result = read("requests-per-chunk");
        if (result != null) {
            double ratio = result.path("data").path("ratio").asDouble();
            row(result, "requests-per-chunk", "HTTP requests per chunk vs one request per row",
                    String.format("%.4f", ratio), "<= 1/32", ratio <= 1.0 / 32);
        }
    }

    private void sqlRequestsPerChunk() throws IOException {
        JsonNode result = read("sql-requests-per-chunk");
        if (result != null) {
            JsonNode data = result.path("data");
            double flink = data.path("ML_PREDICT, Flink's openai provider").asDouble();
            double embed = data.path("EMBED").asDouble() / flink;
            double predict = data.path("ML_PREDICT, 'provider' = 'flink-rag'").asDouble() / flink;
            row(result, "sql-requests-per-chunk", "SQL: HTTP requests per chunk, `EMBED` / `ML_PREDICT` with "
                    + "'flink-rag', of Flink's openai provider", String.format("%.4f / %.4f", embed, predict),
                    "<= 1/32", Math.max(embed, predict) <= 1.0 / 32);
        }
    }

    private void sqlIndexThroughput() throws IOException {
        JsonNode result = read("sql-index-throughput");
        if (result != null) {
            JsonNode data = result.path("data");
            double p1 = data.path("ratio-p1").asDouble();
            double p2 = data.path("ratio-p2").asDouble();
            row(result, "sql-index-throughput", "SQL: one-statement `rag-index` indexing vs the DataStream pipeline, "
                    + "parallelism 1 / 2", String.format("%.3f / %.3f", p1, p2), ">= 0.90", Math.min(p1, p2) >= 0.9);
        }
    }

    private void servingLatency() throws IOException {
        JsonNode result = read("serving-latency");
        if (result != null) {
            JsonNode data = result.path("data");
            JsonNode retrieve = data.path("/v1/retrieve");
            JsonNode answer = data.path("/v2/answer");
            row(result, "serving-latency", "Serving, 50 concurrent clients: `/v1/retrieve` / `/v2/answer` (instant "
                    + "loopback chat model), p50 and p99 of the bare store search",
                    String.format("p50 %.0f / %.0f ms, p99 %.0f / %.0f ms = %.2f / %.2f and %.2f / %.2f",
                            retrieve.path("p50_ms").asDouble(), answer.path("p50_ms").asDouble(),
                            retrieve.path("p99_ms").asDouble(), answer.path("p99_ms").asDouble(),
                            retrieve.path("p50_ratio").asDouble(), answer.path("p50_ratio").asDouble(),
                            retrieve.path("p99_ratio").asDouble(), answer.path("p99_ratio").asDouble()),
                    "none: the server's own cost", null);
        }
    }
}
