package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkIds;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.testing.ChunkerToStore;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.ReferenceStore;
import dev.flinkrag.testing.SingleParagraphEdits;
import dev.flinkrag.testing.TextCorpus;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Store writes per single-paragraph edit, for a store that keeps document records: the chunker's changelog through
 * the pipeline's converter into the plain reference store. Each version changes the file's size and modification
 * time, as the folder source reports them. An edit writes its new chunks and one document record, whatever the
 * document's size, and the store then holds what a from-scratch index of the edited document holds.
 */
class StoreWritesPerEditTest {

    private static final String DOC = "handbook.md";

    @ParameterizedTest(name = "a document of at least {0} chunks")
    @ValueSource(ints = {100, 700})
    void anEditWritesItsNewChunksAndOneRecordWhateverTheDocumentsSize(int chunks) throws Exception {
        Function<String, List<String>> splitter = HashingEmbeddingModel.SPLITTING.createSplitter();
        List<TextCorpus.Text> corpus = TextCorpus.all();
        List<String> paragraphs = new ArrayList<>();
        for (int i = 2; splitter.apply(String.join("\n\n", paragraphs)).size() < chunks; i++) {
            paragraphs.addAll(corpus.get(i).paragraphs());
        }
        try (ChunkerToStore chunker = new ChunkerToStore(HashingEmbeddingModel.SPLITTING,
                ChunkChangeConverter.forStore(LuceneSink.<ChunkChange>builder()))) {
            long version = 1;
            chunker.apply(ChunkerToStore.fileVersion(DOC, paragraphs, version));
            for (SingleParagraphEdits.Kind kind : SingleParagraphEdits.Kind.values()) {
                SingleParagraphEdits edits = new SingleParagraphEdits(kind.ordinal(), corpus.subList(0, 2),
                        InProcessModels.allMiniLmL6V2QTokenizer().create(), 100);
                for (int i = 0; i < 4; i++) {
                    List<String> edited = edits.apply(paragraphs, kind);
                    DocumentChange change = ChunkerToStore.fileVersion(DOC, edited, ++version);
                    List<VectorOperation> operations = chunker.apply(change);

                    long newChunks = operations.stream().filter(op -> op.kind() == VectorOperation.Kind.UPSERT).count();
                    long written = operations.stream().filter(op -> op.kind() != VectorOperation.Kind.DELETE).count();
                    assertThat(written).as("%s of a %d-chunk document: %s", kind, chunks, operations)
                            .isLessThanOrEqualTo(newChunks + 2);
                    assertThat(operations).filteredOn(op -> op.kind() == VectorOperation.Kind.UPDATE_METADATA).isEmpty();
                    ReferenceStore store = chunker.store();
                    assertThat(store.entries()).isEqualTo(fromScratch(change, splitter));
                    assertThat(store.documents().get(DOC).metadata()).containsEntry("size_bytes",
                            change.metadata().get("size_bytes"));
                    assertThat(store.documents().get(DOC).entryIds()).containsExactlyElementsOf(
                            ChunkIds.of(DOC, splitter.apply(change.text())).stream().map(UUID::toString).toList());
                    paragraphs = edited;
                }
            }
        }
    }

    private static Map<String, ReferenceStore.Entry> fromScratch(DocumentChange change,
            Function<String, List<String>> splitter) {
        List<String> texts = splitter.apply(change.text());
        List<UUID> ids = ChunkIds.of(DOC, texts);
        Map<String, ReferenceStore.Entry> entries = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            entries.put(ids.get(i).toString(), new ReferenceStore.Entry(texts.get(i),
                    ChunkerToStore.vectorOf(texts.get(i)), Map.of(ChunkChange.DOC_ID, DOC)));
        }
        return entries;
    }
}
