package dev.flinkrag.benchmarks;

import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.testing.TextCorpus;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * P2: the cost of keeping an index fresh against rebuilding it. 2,000 documents of real text (the corpus cut into
 * consecutive runs of paragraphs) are indexed by the live job ({@link LiveIndexJob}); then 20 of them (1 %) each get
 * one paragraph replaced, all at once, and the time until a search for each new chunk's text returns it first is
 * measured. The
 * baseline rebuilds an index of the same 2,000 edited documents from scratch with LangChain4j's
 * {@code EmbeddingStoreIngestor} (recursive splitter at the same 100 tokens, the same model, the same Lucene store),
 * with the live job stopped so it has the machine to itself. Best of {@value #ROUNDS} rounds each.
 *
 * <p>Writes {@code <results>/incremental-vs-rebuild.md} and {@code .json}.
 */
public final class IncrementalVsRebuildBenchmark {

    private static final int DOCUMENTS = 2_000;
    private static final int EDITED = 20;
    private static final int ROUNDS = 3;

    private IncrementalVsRebuildBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Path work = Files.createTempDirectory("flink-rag-p2");
        Path docs = work.resolve("docs");
        List<String> texts = documents();
        for (int i = 0; i < texts.size(); i++) {
            Files.createDirectories(docs.resolve("d" + i / 100));
            Files.writeString(file(docs, i), texts.get(i));
        }
        EmbeddingModel model = InProcessModels.allMiniLmL6V2Q().create();
        Function<String, List<String>> splitter = ChunkingOptions.editStable(100)
                .withTokenizer(InProcessModels.allMiniLmL6V2QTokenizer()).createSplitter();
        Random random = new Random(5);
        long incremental = Long.MAX_VALUE;
        List<Double> incrementalMillis = new ArrayList<>();
        int chunks;
        try (LiveIndexJob live = LiveIndexJob.start(docs, work.resolve("index"))) {
            long started = System.nanoTime();
            live.awaitSettled();
            System.out.printf("initial index: %d chunks in %.1f s%n", live.store.count(), (System.nanoTime() - started) / 1e9);
            for (int round = 0; round < ROUNDS; round++) {
                Map<String, Embedding> pending = new HashMap<>();
                Map<Path, String> edits = new HashMap<>();
                while (edits.size() < EDITED) {
                    int doc = random.nextInt(DOCUMENTS);
                    String token = "rebuildprobe" + round + "x" + doc;
                    List<String> paragraphs = new ArrayList<>(List.of(texts.get(doc).split("\n\n")));
                    paragraphs.set(random.nextInt(paragraphs.size()), "A paragraph replaced in round " + round
                            + " of the benchmark, marked " + token + ", and written with nineteen others at once.");
                    String edited = String.join("\n\n", paragraphs);
                    texts.set(doc, edited);
                    edits.put(file(docs, doc), edited);
                    String chunk = splitter.apply(edited).stream().filter(text -> text.contains(token)).findFirst()
                            .orElseThrow();
                    pending.put(chunk, model.embed(chunk).content());
                }
                long written = System.nanoTime();
                for (Map.Entry<Path, String> edit : edits.entrySet()) {
                    Files.writeString(edit.getKey(), edit.getValue());
                }
                long deadline = written + 60_000_000_000L;
                while (!pending.isEmpty()) {
                    pending.entrySet().removeIf(entry -> visible(live.store, entry.getKey(), entry.getValue()));
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(pending.size() + " edited chunks not searchable in 60 s");
                    }
                }
                long took = System.nanoTime() - written;
                System.out.printf("round %d: 20 edited documents visible after %.0f ms%n", round, took / 1e6);
                incremental = Math.min(incremental, took);
                incrementalMillis.add(took / 1e6);
                Thread.sleep(2_000);
            }
            chunks = live.store.count();
        }

        long rebuild = Long.MAX_VALUE;
        List<Double> rebuildSeconds = new ArrayList<>();
        EmbeddingModel ingestModel = new AllMiniLmL6V2QuantizedEmbeddingModel();
        TokenCountEstimator tokens = InProcessModels.allMiniLmL6V2QTokenizer().create();
        List<Document> documents = texts.stream().map(Document::from).toList();
        for (int round = 0; round < ROUNDS; round++) {
            try (LuceneEmbeddingStore store = LuceneEmbeddingStore.open(work.resolve("rebuild-" + round))) {
                long started = System.nanoTime();
                EmbeddingStoreIngestor.builder().documentSplitter(DocumentSplitters.recursive(100, 0, tokens))
                        .embeddingModel(ingestModel).embeddingStore(store).build().ingest(documents);
                long took = System.nanoTime() - started;
                System.out.printf("rebuild %d: %d chunks in %.1f s%n", round, store.count(), took / 1e9);
                rebuild = Math.min(rebuild, took);
                rebuildSeconds.add(took / 1e9);
            }
        }
        String report = """
                # P2: keeping the index fresh vs rebuilding it

                2,000 documents of real text (%d chunks of 100 tokens), 20 of them (1 %%) with one paragraph replaced,
                written at once. Best of %d rounds each.
                %s

                | path | time |
                |---|---|
                | flink-rag live job: 20 edits written → all 20 new paragraphs searchable | %.0f ms |
                | full rebuild, LangChain4j `EmbeddingStoreIngestor`, same model and store | %.1f s |
                | **incremental / rebuild** | **%.4f** |
                """.formatted(chunks, ROUNDS, Results.provenance(IncrementalVsRebuildBenchmark.class),
                incremental / 1e6, rebuild / 1e9, (double) incremental / rebuild);
        Results.write(results, "incremental-vs-rebuild", IncrementalVsRebuildBenchmark.class, report, Map.of(
                "documents", DOCUMENTS, "edited", EDITED, "chunks", chunks, "incrementalMillis", incrementalMillis,
                "rebuildSeconds", rebuildSeconds, "ratio", (double) incremental / rebuild));
        System.exit(0); // the MiniCluster's threads would keep the JVM up
    }

    /** The corpus's paragraphs, in order, cut into 2,000 documents of consecutive paragraphs. */
    private static List<String> documents() {
        List<String> paragraphs = new ArrayList<>();
        TextCorpus.all().forEach(text -> paragraphs.addAll(text.paragraphs()));
        List<String> documents = new ArrayList<>(DOCUMENTS);
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(String.join("\n\n", paragraphs.subList(i * paragraphs.size() / DOCUMENTS,
                    (i + 1) * paragraphs.size() / DOCUMENTS)) + "\n");
        }
        return documents;
    }

    private static Path file(Path docs, int document) {
        return docs.resolve("d" + document / 100).resolve("doc-" + document + ".md");
    }

    /** Whether {@code chunk} is searchable: the nearest entry to its own vector. */
    private static boolean visible(LuceneEmbeddingStore store, String chunk, Embedding embedding) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(embedding).maxResults(1).build())
                .matches().stream().anyMatch(match -> match.embedded().text().equals(chunk));
    }
}
