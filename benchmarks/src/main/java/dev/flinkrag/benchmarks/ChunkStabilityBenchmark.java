package dev.flinkrag.benchmarks;

import dev.flinkrag.chunking.EditStableSplitter;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.testing.EditWorkload;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How many chunks a single-paragraph edit forces to be embedded again, for flink-rag's edit-stable
 * splitter and two baselines run on the same documents and the same edits: LangChain4j's recursive
 * splitter (paragraph first, no overlap) and greedy sentence packing. 100 and 300 token budgets, with
 * and without paragraph breaks; ~100-chunk documents; content-hash dedup assumed for all three.
 *
 * <p>Prints a table and writes it to {@code <results dir>/chunk-stability.md}.
 */
public final class ChunkStabilityBenchmark {

    private static final int EDITS = 400;

    private ChunkStabilityBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        TokenCountEstimator tokens = InProcessModels.allMiniLmL6V2QTokenizer().create();
        StringBuilder report = new StringBuilder("""
                # Chunk stability: chunks re-embedded per single-paragraph edit

                Same ~100-chunk documents and the same %d random edits per row for every splitter (a sentence
                replaced, inserted or deleted inside a paragraph; a paragraph that fits one chunk inserted,
                deleted or replaced). A chunk counts as re-embedded when its text was not a chunk before the
                edit. "chunks" is the chunk count of the unedited document (the splitters size chunks differently),
                so the cost that matters is the last columns: tokens sent to the model per edit, and its ratio
                baseline / flink-rag (higher means the baseline pays more per edit).

                | budget | paragraph breaks | splitter | chunks | mean chunks re-embedded | p95 | max | mean tokens re-embedded | token ratio vs flink-rag | distribution (chunks: edits) |
                |---|---|---|---|---|---|---|---|---|---|
                """.formatted(EDITS));
        for (int budget : new int[] {100, 300}) {
            for (boolean breaks : new boolean[] {true, false}) {
                EditStableSplitter ours = new EditStableSplitter(tokens, budget);
                DocumentSplitter recursive = DocumentSplitters.recursive(budget, 0, tokens);
                GreedySentencePacking greedy = new GreedySentencePacking(tokens, budget);
                Map<String, Function<String, List<String>>> splitters = new LinkedHashMap<>();
                splitters.put("flink-rag EditStableSplitter", ours::split);
                splitters.put("LangChain4j recursive (0 overlap)", text -> texts(recursive, text));
                splitters.put("greedy sentence packing", greedy::split);

                EditWorkload workload = new EditWorkload(budget * 31L + (breaks ? 1 : 0), budget, breaks, tokens,
                        ours::split, 100);
                List<String> edits = workload.edits(EDITS);
                double oursTokens = 0;
                for (Map.Entry<String, Function<String, List<String>>> splitter : splitters.entrySet()) {
                    Set<String> before = new HashSet<>(splitter.getValue().apply(workload.document()));
                    TreeMap<Integer, Integer> distribution = new TreeMap<>();
                    long reembeddedTokens = 0;
                    for (String edited : edits) {
                        List<String> fresh = splitter.getValue().apply(edited).stream()
                                .filter(chunk -> !before.contains(chunk)).distinct().toList();
                        distribution.merge(fresh.size(), 1, Integer::sum);
                        for (String chunk : fresh) {
                            reembeddedTokens += tokens.estimateTokenCountInText(chunk);
                        }
                    }
                    double meanTokens = (double) reembeddedTokens / EDITS;
                    if (oursTokens == 0) {
                        oursTokens = meanTokens;
                    }
                    String row = String.format("| %d | %s | %s | %d | %.2f | %d | %d | %.0f | %.2f | %s |%n", budget,
                            breaks ? "yes" : "no", splitter.getKey(), before.size(), EditWorkload.mean(distribution),
                            percentile(distribution, 0.95), distribution.lastKey(), meanTokens, meanTokens / oursTokens,
                            distribution);
                    System.out.print(row);
                    report.append(row);
                }
            }
        }
        Files.createDirectories(results);
        Files.writeString(results.resolve("chunk-stability.md"), report);
        System.out.println("written to " + results.resolve("chunk-stability.md").toAbsolutePath());
    }

    private static List<String> texts(DocumentSplitter splitter, String text) {
        return splitter.split(Document.from(text)).stream().map(TextSegment::text).toList();
    }

    private static int percentile(TreeMap<Integer, Integer> distribution, double fraction) {
        long total = distribution.values().stream().mapToLong(Integer::longValue).sum();
        long seen = 0;
        for (Map.Entry<Integer, Integer> entry : distribution.entrySet()) {
            seen += entry.getValue();
            if (seen >= fraction * total) {
                return entry.getKey();
            }
        }
        return distribution.lastKey();
    }
}
