package dev.flinkrag.benchmarks;

import dev.flinkrag.chunking.EditStableSplitter;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.testing.SingleParagraphEdits;
import dev.flinkrag.testing.TextCorpus;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Chunk size and chunks re-embedded per single-paragraph edit on the real-text corpus (45 prose documents of
 * 4,000+ words and nine technical chapters), for flink-rag's edit-stable splitter and two baselines on the same
 * documents and the same edits: LangChain4j's recursive splitter (paragraph first, no overlap) and greedy sentence
 * packing (Pathway's token-count splitter works so). Budgets 100 and 300 tokens, with and without paragraph breaks,
 * five kinds of edit; content-hash dedup assumed for all.
 *
 * <p>Writes {@code <results dir>/chunk-stability.md} and {@code .json}.
 */
public final class ChunkStabilityBenchmark {

    private static final int EDITS_PER_DOCUMENT = 3;

    private ChunkStabilityBenchmark() {}

    /** One row of the table: a splitter's chunks in a cell and what one kind of edit re-embedded. */
    record Row(int budget, boolean breaks, String splitter, long chunks, double fill, String edit,
            Map<Integer, Integer> reembedded, double mean, int p90, int max, double tokensPerEdit, double tokenRatio) {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        TokenCountEstimator tokens = InProcessModels.allMiniLmL6V2QTokenizer().create();
        List<TextCorpus.Text> corpus = TextCorpus.all();
        List<TextCorpus.Text> donors = corpus.subList(0, 2);
        List<TextCorpus.Text> documents = corpus.subList(2, corpus.size());
        // the four cells are independent and only count: one thread each (LangChain4j's recursive splitter is slow)
        List<Callable<List<Row>>> cells = new ArrayList<>();
        for (int budget : new int[] {100, 300}) {
            for (boolean breaks : new boolean[] {true, false}) {
                cells.add(() -> cell(tokens, budget, breaks, donors, documents));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Row> rows = new ArrayList<>();
        for (Future<List<Row>> cell : pool.invokeAll(cells)) {
            rows.addAll(cell.get());
        }
        pool.shutdown();
        StringBuilder report = new StringBuilder("""
                # Chunk size and chunks re-embedded per single-paragraph edit

                %d real documents (src/test/resources/corpus of flink-rag-core), %d edits of each kind per document
                and cell, the same edits for every splitter; new text comes from two other documents. A chunk counts
                as re-embedded when its text was not a chunk before the edit. "fill" is the mean chunk size over the
                budget; "tokens re-embedded" is what an edit costs at the model, and its ratio is baseline / flink-rag.
                %s

                | budget | breaks | splitter | chunks | fill | edit | mean chunks re-embedded | p90 | max | mean tokens re-embedded | token ratio |
                |---|---|---|---|---|---|---|---|---|---|---|
                """.formatted(documents.size(), EDITS_PER_DOCUMENT, Results.provenance(ChunkStabilityBenchmark.class)));
        for (Row row : rows) {
            report.append(String.format("| %d | %s | %s | %d | %.2f | %s | %.2f | %d | %d | %.0f | %.2f |%n",
                    row.budget(), row.breaks() ? "yes" : "no", row.splitter(), row.chunks(), row.fill(), row.edit(),
                    row.mean(), row.p90(), row.max(), row.tokensPerEdit(), row.tokenRatio()));
        }
        Results.write(results, "chunk-stability", ChunkStabilityBenchmark.class, report.toString(), rows);
    }

    /** Every splitter and kind of edit at one budget, with or without paragraph breaks. */
    private static List<Row> cell(TokenCountEstimator tokens, int budget, boolean breaks, List<TextCorpus.Text> donors,
            List<TextCorpus.Text> documents) {
        List<Row> rows = new ArrayList<>();
        Map<SingleParagraphEdits.Kind, Double> oursTokensPerEdit = new EnumMap<>(SingleParagraphEdits.Kind.class);
        for (Map.Entry<String, Function<String, List<String>>> splitter : splitters(tokens, budget).entrySet()) {
            long chunks = 0;
            long chunkTokens = 0;
            for (TextCorpus.Text document : documents) {
                for (String chunk : splitter.getValue().apply(SingleParagraphEdits.render(document.paragraphs(), breaks))) {
                    chunkTokens += tokens.estimateTokenCountInText(chunk);
                    chunks++;
                }
            }
            for (SingleParagraphEdits.Kind kind : SingleParagraphEdits.Kind.values()) {
                SingleParagraphEdits edits = new SingleParagraphEdits(budget * 7L + kind.ordinal(), donors, tokens, budget);
                long[] reembeddedTokens = new long[1];
                TreeMap<Integer, Integer> distribution = edits.reembedded(documents, kind, EDITS_PER_DOCUMENT, breaks,
                        splitter.getValue(), reembeddedTokens);
                double tokensPerEdit = (double) reembeddedTokens[0] / (documents.size() * EDITS_PER_DOCUMENT);
                oursTokensPerEdit.putIfAbsent(kind, tokensPerEdit); // flink-rag runs first
                Row row = new Row(budget, breaks, splitter.getKey(), chunks, (double) chunkTokens / chunks / budget,
                        kind.name().toLowerCase().replace('_', ' '), distribution, SingleParagraphEdits.mean(distribution),
                        SingleParagraphEdits.percentile(distribution, 0.9), distribution.lastKey(), tokensPerEdit,
                        tokensPerEdit / oursTokensPerEdit.get(kind));
                System.out.println(row);
                rows.add(row);
            }
        }
        return rows;
    }

    private static Map<String, Function<String, List<String>>> splitters(TokenCountEstimator tokens, int budget) {
        EditStableSplitter ours = new EditStableSplitter(tokens, budget);
        DocumentSplitter recursive = DocumentSplitters.recursive(budget, 0, tokens);
        GreedySentencePacking greedy = new GreedySentencePacking(tokens, budget);
        Map<String, Function<String, List<String>>> splitters = new LinkedHashMap<>();
        splitters.put("flink-rag", ours::split);
        splitters.put("LangChain4j recursive", text -> recursive.split(Document.from(text)).stream()
                .map(TextSegment::text).toList());
        splitters.put("greedy packing", greedy::split);
        return splitters;
    }
}
