package dev.flinkrag.benchmarks;

import dev.flinkrag.chunking.ChunkingOptions;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Freshness of the live folder index, as a user sees it: a sentence appended to one of 162 real files (the text
 * corpus, each document in three parts, 1.6 MB) until {@code /v1/retrieve} returns it, and a file deleted until its
 * chunks no longer come back, on the local example's job ({@link LiveIndexJob}) and the retrieval server on loopback.
 *
 * <p>Visible means: the search {@code /v1/retrieve} runs for the new chunk's text returns it (polled every 2 ms with the
 * query's vector computed beforehand, then confirmed through {@code /v1/retrieve}; the server's own model call for a
 * query, about 20 ms here, is not freshness). Per stage, from the job's probes: detect (write to the source's record),
 * parse, chunk, embed (batch linger and the model), and sink (the hop to the sink, its linger and flush, the searcher
 * refresh).
 *
 * <p>Writes {@code <results>/freshness.md} and {@code freshness.json}.
 */
public final class FreshnessBenchmark {

    private static final int APPENDS = 60;
    private static final int DELETES = 30;
    private static final int POLL_MILLIS = 2;
    private static final EmbeddingModel MODEL = InProcessModels.allMiniLmL6V2Q().create();
    private static final List<String> STAGES = LiveIndexJob.STAGES;
    private static final Function<String, List<String>> SPLITTER = ChunkingOptions.editStable(100)
            .withTokenizer(InProcessModels.allMiniLmL6V2QTokenizer()).createSplitter();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private int port;

    private FreshnessBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        new FreshnessBenchmark().run(results);
        System.exit(0); // the MiniCluster's threads would keep the JVM up
    }

    private void run(Path results) throws Exception {
        Path work = Files.createTempDirectory("flink-rag-freshness");
        Path docs = work.resolve("docs");
        List<Path> files = writeCorpus(docs);
        Configuration serving = new Configuration();
        serving.set(ServingOptions.PORT, 0);
        try (LiveIndexJob live = LiveIndexJob.start(docs, work.resolve("index"));
                ServedIndex served = ServedIndex.lucene(live.store, "Lucene index");
                RagServer server = RagServer.start(new Retriever(served, MODEL), AccessControl.open(), serving)) {
            port = server.port();
            long started = System.nanoTime();
            live.awaitSettled();
            System.out.printf("initial index: %d chunks in %.1f s%n", live.store.count(),
                    (System.nanoTime() - started) / 1e9);

            Random random = new Random(13);
            List<long[]> appendStages = new ArrayList<>();
            List<Long> appends = new ArrayList<>();
            Map<Path, String> chunks = new LinkedHashMap<>();
            for (int i = 0; i < APPENDS; i++) {
                Path file = files.get(random.nextInt(files.size()));
                String token = "zqx" + Integer.toString(100_000 + i * 7919 % 900_000, 36) + "probe";
                String sentence = "The freshness probe " + token + " was appended to this file during the benchmark.";
                String text = Files.readString(file) + "\n\n" + sentence + "\n";
                String chunk = chunkHolding(text, token);
                long written = System.nanoTime();
                Files.writeString(file, text);
                long visible;
                try {
                    visible = awaitVisible(live, chunk, true);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(e.getMessage() + "; " + live.progressOf(docIdOf(docs, file), written), e);
                }
                appends.add(visible - written);
                appendStages.add(LiveIndexJob.stages(docIdOf(docs, file), written, visible));
                chunks.put(file, chunk);
                Thread.sleep(150 + random.nextInt(150));
            }
            List<Long> deletes = new ArrayList<>();
            List<long[]> deleteStages = new ArrayList<>();
            List<Path> appended = new ArrayList<>(chunks.keySet());
            for (int i = 0; i < Math.min(DELETES, appended.size()); i++) {
                Path file = appended.get(i);
                String chunk = chunks.get(file);
                long deleted = System.nanoTime();
                Files.delete(file);
                long gone = awaitVisible(live, chunk, false);
                deletes.add(gone - deleted);
                deleteStages.add(LiveIndexJob.stages(docIdOf(docs, file), deleted, gone));
                Thread.sleep(150 + random.nextInt(150));
            }
            report(results, appends, appendStages, deletes, deleteStages, live.store.count());
        }
    }

    /** Each corpus document in three parts of whole paragraphs: 162 files of real text. */
    static List<Path> writeCorpus(Path docs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (TextCorpus.Text text : TextCorpus.all()) {
            List<String> paragraphs = text.paragraphs();
            String name = text.name().replace('/', '-').replaceAll("\\.(txt|md)$", "");
            for (int part = 0; part < 3; part++) {
                List<String> slice = paragraphs.subList(part * paragraphs.size() / 3, (part + 1) * paragraphs.size() / 3);
                Path file = docs.resolve(text.name().substring(0, text.name().indexOf('/')))
                        .resolve(name + "-" + (part + 1) + ".md");
                Files.createDirectories(file.getParent());
                Files.writeString(file, String.join("\n\n", slice) + "\n");
                files.add(file);
            }
        }
        return files;
    }

    private static String docIdOf(Path docs, Path file) {
        return docs.relativize(file).toString().replace('\\', '/');
    }

    /**
     * The chunk of {@code text} that holds {@code token}, as the job cuts it: querying its own text finds it first
     * (a sentence merged into a chunk of other text need not be its nearest match).
     */
    private static String chunkHolding(String text, String token) {
        return SPLITTER.apply(text).stream().filter(chunk -> chunk.contains(token)).findFirst().orElseThrow();
    }

    /**
     * Polls the index every {@value #POLL_MILLIS} ms with the search {@code /v1/retrieve} runs for {@code chunk} (the
     * query's vector computed once, so the poll does not wait for the model) until the chunk is the first hit (or is
     * gone); returns when (nanos), after checking the same through {@code /v1/retrieve} itself.
     */
    private long awaitVisible(LiveIndexJob live, String chunk, boolean present) throws Exception {
        EmbeddingSearchRequest search = EmbeddingSearchRequest.builder()
                .queryEmbedding(MODEL.embed(chunk).content()).maxResults(3).build();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean found = live.store.search(search).matches().stream()
                    .anyMatch(match -> match.embedded().text().equals(chunk));
            long now = System.nanoTime();
            if (found == present) {
                if (retrieved(chunk) != present) {
                    throw new IllegalStateException("the index and /v1/retrieve disagree on " + chunk);
                }
                return now;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("a chunk did not " + (present ? "appear" : "disappear") + " in 30 s: " + chunk);
    }

    /** Whether {@code /v1/retrieve} returns {@code chunk} among its first 3 hits for its own text. */
    private boolean retrieved(String chunk) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/retrieve?k=3&query="
                + URLEncoder.encode(chunk, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode hit : json.readTree(response.body())) {
            if (hit.path("text").asText().equals(chunk)) {
                return true;
            }
        }
        return false;
    }

    private void report(Path results, List<Long> appends, List<long[]> appendStages, List<Long> deletes,
            List<long[]> deleteStages, int chunks) throws IOException {
        StringBuilder md = new StringBuilder("""
                # Freshness: change on disk → visible in /v1/retrieve

                162 real files (the text corpus, 1.6 MB), %d chunks of 100 tokens; %d appends of one sentence to a
                random file and %d file deletes, one at a time; all-MiniLM-L6-v2-q in process, Lucene, parallelism 2.
                %s

                | change | p50 ms | p90 ms | p99 ms | max ms |
                |---|---|---|---|---|
                """.formatted(chunks, appends.size(), deletes.size(),
                Results.provenance(FreshnessBenchmark.class)));
        md.append(row("append a sentence", appends)).append(row("delete a file", deletes));
        md.append("\nMedian per stage (ms), in order: ").append(String.join(", ", STAGES)).append("\n\n| change | ")
                .append(String.join(" | ", STAGES)).append(" |\n|---|").append("---|".repeat(STAGES.size())).append('\n');
        md.append(stageRow("append", appendStages)).append(stageRow("delete", deleteStages));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("appendMillis", appends.stream().map(n -> n / 1e6).toList());
        data.put("deleteMillis", deletes.stream().map(n -> n / 1e6).toList());
        data.put("stages", STAGES);
        data.put("appendStageMillis", appendStages.stream().map(FreshnessBenchmark::millis).toList());
        data.put("deleteStageMillis", deleteStages.stream().map(FreshnessBenchmark::millis).toList());
        Results.write(results, "freshness", FreshnessBenchmark.class, md.toString(), data);
    }

    private static List<Double> millis(long[] nanos) {
        List<Double> millis = new ArrayList<>();
        for (long n : nanos) {
            millis.add(n / 1e6);
        }
        return millis;
    }

    private static String row(String change, List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format("| %s | %.0f | %.0f | %.0f | %.0f |%n", change, percentile(sorted, 0.5) / 1e6,
                percentile(sorted, 0.9) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }

    private static String stageRow(String change, List<long[]> stages) {
        StringBuilder row = new StringBuilder("| " + change + " |");
        for (int i = 0; i < STAGES.size(); i++) {
            int stage = i;
            List<Long> sorted = stages.stream().map(s -> s[stage]).sorted().toList();
            row.append(String.format(" %.1f |", percentile(sorted, 0.5) / 1e6));
        }
        return row.append('\n').toString();
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
