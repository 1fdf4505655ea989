package dev.flinkrag.benchmarks;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.pipeline.ChunkChangeConverter;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.testing.ChunkerToStore;
import dev.flinkrag.testing.SingleParagraphEdits;
import dev.flinkrag.testing.TextCorpus;

import dev.langchain4j.model.TokenCountEstimator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Store writes per single-paragraph edit against document size: documents of about 100, 300 and 700 chunks of real
 * text, each edit kind 10 times, every version with a new size and modification time as the folder source reports
 * them. Counted at the store's door (the operations the sink applies), for the two layouts the pipeline writes:
 * document records (Lucene, pgvector) and metadata on every chunk (remote LangChain4j stores).
 *
 * <p>Writes {@code <results>/store-writes.md} and {@code store-writes.json}.
 */
public final class StoreWritesBenchmark {

    private static final int[] SIZES = {100, 300, 700};
    private static final int EDITS_PER_KIND = 10;

    private StoreWritesBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        ChunkingOptions chunking = ChunkingOptions.editStable(100).withTokenizer(InProcessModels.allMiniLmL6V2QTokenizer());
        Function<String, List<String>> splitter = chunking.createSplitter();
        TokenCountEstimator tokens = InProcessModels.allMiniLmL6V2QTokenizer().create();
        List<TextCorpus.Text> corpus = TextCorpus.all();
        StringBuilder md = new StringBuilder("""
                # Store writes per single-paragraph edit

                Real text (the corpus), edits of every kind (%d each), each version with a new size and modification
                time. "written" counts entry upserts, metadata rewrites and document records; "new chunks" the chunks
                whose text is new.
                %s

                | document | layout | written per edit (mean / max) | new chunks per edit (mean) | deletes per edit (mean) |
                |---|---|---|---|---|
                """.formatted(EDITS_PER_KIND, Results.provenance(StoreWritesBenchmark.class)));
        List<Map<String, Object>> data = new ArrayList<>();
        for (int size : SIZES) {
            List<String> paragraphs = new ArrayList<>();
            for (int i = 2; splitter.apply(String.join("\n\n", paragraphs)).size() < size; i++) {
                paragraphs.addAll(corpus.get(i % corpus.size()).paragraphs());
            }
            int chunks = splitter.apply(String.join("\n\n", paragraphs)).size();
            for (boolean records : new boolean[] {true, false}) {
                ChunkChangeConverter converter = records ? ChunkChangeConverter.forStore(LuceneSink.<ChunkChange>builder())
                        : new ChunkChangeConverter();
                long written = 0;
                long maxWritten = 0;
                long inserted = 0;
                long deleted = 0;
                int edits = 0;
                try (ChunkerToStore store = new ChunkerToStore(chunking, converter)) {
                    long version = 1;
                    store.apply(ChunkerToStore.fileVersion("handbook.md", paragraphs, version));
                    List<String> current = paragraphs; // every edit applies to the version the store holds
                    for (SingleParagraphEdits.Kind kind : SingleParagraphEdits.Kind.values()) {
                        SingleParagraphEdits editor = new SingleParagraphEdits(kind.ordinal(), corpus.subList(0, 2),
                                tokens, 100);
                        for (int i = 0; i < EDITS_PER_KIND; i++) {
                            current = editor.apply(current, kind);
                            List<VectorOperation> operations = store.apply(ChunkerToStore.fileVersion("handbook.md", current, ++version));
                            long writes = operations.stream().filter(op -> op.kind() != VectorOperation.Kind.DELETE).count();
                            written += writes;
                            maxWritten = Math.max(maxWritten, writes);
                            inserted += operations.stream().filter(op -> op.kind() == VectorOperation.Kind.UPSERT).count();
                            deleted += operations.stream().filter(op -> op.kind() == VectorOperation.Kind.DELETE).count();
                            edits++;
                        }
                    }
                }
                String layout = records ? "document records (Lucene, pgvector)" : "metadata on every chunk";
                md.append(String.format("| %d chunks | %s | %.1f / %d | %.2f | %.2f |%n", chunks, layout,
                        (double) written / edits, maxWritten, (double) inserted / edits, (double) deleted / edits));
                data.add(Map.of("chunks", chunks, "layout", records ? "records" : "per-chunk",
                        "writtenPerEdit", (double) written / edits, "newChunksPerEdit", (double) inserted / edits));
            }
        }
        Results.write(results, "store-writes", StoreWritesBenchmark.class, md.toString(), data);
    }
}
