package dev.flinkrag.testing;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.chunking.IncrementalChunker;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.pipeline.ChunkChangeConverter;
import dev.flinkrag.sink.VectorOperation;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.RowKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chunker on Flink's keyed test harness, its changelog through a converter into the plain reference store: what a
 * store is asked to write for each document change (inserts get a vector derived from their text).
 */
public final class ChunkerToStore implements AutoCloseable {

    private final KeyedOneInputStreamOperatorTestHarness<String, DocumentChange, ChunkChange> chunker;
    private final ChunkChangeConverter converter;
    private final ReferenceStore store = new ReferenceStore();

    public ChunkerToStore(ChunkingOptions chunking, ChunkChangeConverter converter) throws Exception {
        this.chunker = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new IncrementalChunker(chunking), DocumentChange::docId, Types.STRING);
        this.converter = converter;
    }

    /** Applies one document change; returns the store operations it caused. */
    public List<VectorOperation> apply(DocumentChange change) throws Exception {
        int before = chunker.extractOutputValues().size();
        chunker.processElement(change, 0);
        List<ChunkChange> out = chunker.extractOutputValues();
        List<VectorOperation> operations = new ArrayList<>();
        for (ChunkChange chunk : out.subList(before, out.size())) {
            if (chunk.kind() == RowKind.INSERT) {
                chunk = chunk.withVector(vectorOf(chunk.text()));
            }
            VectorOperation operation = converter.convert(chunk);
            if (operation != null) {
                operations.add(operation);
                store.apply(operation);
            }
        }
        return operations;
    }

    /** A version of a file as the folder source reports it: each version has a new size and modification time. */
    public static DocumentChange fileVersion(String docId, List<String> paragraphs, long version) {
        String text = String.join("\n\n", paragraphs);
        return DocumentChange.upsert(docId, version, text, Map.of("title", "Handbook", "size_bytes",
                Integer.toString(text.length()), "modified_at", Long.toString(1_700_000_000_000L + version)));
    }

    public ReferenceStore store() {
        return store;
    }

    /** The vector the store gets for {@code text}. */
    public static float[] vectorOf(String text) {
        return new float[] {text.length()};
    }

    @Override
    public void close() throws Exception {
        chunker.close();
    }
}
