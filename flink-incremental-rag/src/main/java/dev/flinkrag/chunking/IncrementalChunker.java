package dev.flinkrag.chunking;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns document changes into the smallest changelog of chunk changes. Keyed by document id.
 *
 * <p>For each change newer than the last applied version it re-splits the document and compares the
 * chunk ids with the ones in state: ids that are gone become DELETEs, new ids INSERTs (to be embedded),
 * ids whose ordinal or document metadata changed metadata-only UPDATE_AFTERs, and the rest produce
 * nothing. Each processed version ends with the {@linkplain ChunkChange#documentChunks list of the document's
 * chunk ids}. A change that is not newer than the stored version is dropped and counted.
 */
public class IncrementalChunker extends KeyedProcessFunction<String, DocumentChange, ChunkChange> {

    private static final long serialVersionUID = 1L;

    private final ChunkingOptions options;

    private transient EditStableSplitter splitter;
    private transient ValueState<DocumentChunkState> state;
    private transient Counter documentChanges;
    private transient Counter staleChangesDropped;
    private transient Counter chunksInserted;
    private transient Counter chunksDeleted;
    private transient Counter chunksMetadataUpdated;
    private transient Counter chunksUnchanged;

    public IncrementalChunker(ChunkingOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        splitter = options.createSplitter();
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("document-chunks", DocumentChunkState.class));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("chunking");
        documentChanges = metrics.counter("documentChanges");
        staleChangesDropped = metrics.counter("staleChangesDropped");
        chunksInserted = metrics.counter("chunksInserted");
        chunksDeleted = metrics.counter("chunksDeleted");
        chunksMetadataUpdated = metrics.counter("chunksMetadataUpdated");
        chunksUnchanged = metrics.counter("chunksUnchanged");
    }

    @Override
    public void processElement(DocumentChange change, Context context, Collector<ChunkChange> out) throws IOException {
        DocumentChunkState previous = state.value();
        if (previous != null && change.version() <= previous.version) {
            staleChangesDropped.inc();
            return;
        }
        documentChanges.inc();
        if (change.kind() == DocumentChange.Kind.DELETE) {
            emitDeletes(change, previous, Map.of(), out);
            out.collect(ChunkChange.documentChunks(change.docId(), List.of(), change.sourceTimestamp()));
            state.update(new DocumentChunkState(change.version(), 0L, List.of()));
            return;
        }
        if (change.text() == null) {
            throw new IllegalArgumentException("document " + change.docId() + " version " + change.version()
                    + " reaches the chunker without field 'text'; parse it first");
        }
        List<String> texts = splitter.split(change.text());
        List<UUID> ids = ChunkIds.of(change.docId(), texts);
        long metadataFingerprint = fingerprint(change.metadata());
        boolean metadataChanged = previous == null || previous.metadataFingerprint != metadataFingerprint;

        Map<UUID, Integer> previousOrdinals = new HashMap<>();
        for (int i = 0; previous != null && i < previous.chunkCount(); i++) {
            previousOrdinals.put(previous.chunkId(i), i);
        }
        Map<UUID, Integer> current = new HashMap<>();
        for (int ordinal = 0; ordinal < ids.size(); ordinal++) {
            UUID id = ids.get(ordinal);
            current.put(id, ordinal);
            Integer before = previousOrdinals.get(id);
            RowKind kind;
            if (before == null) {
                kind = RowKind.INSERT;
                chunksInserted.inc();
            } else if (before != ordinal || metadataChanged) {
                kind = RowKind.UPDATE_AFTER;
                chunksMetadataUpdated.inc();
            } else {
                chunksUnchanged.inc();
                continue;
            }
            out.collect(ChunkChange.of(kind, id.toString(), change.docId(), ordinal, texts.get(ordinal),
                    change.metadata(), change.sourceTimestamp()));
        }
        emitDeletes(change, previous, current, out);
        out.collect(ChunkChange.documentChunks(change.docId(), ids.stream().map(UUID::toString).toList(),
                change.sourceTimestamp()));
        state.update(new DocumentChunkState(change.version(), metadataFingerprint, ids));
    }

    private void emitDeletes(
            DocumentChange change, DocumentChunkState previous, Map<UUID, Integer> keep, Collector<ChunkChange> out) {
        for (int i = 0; previous != null && i < previous.chunkCount(); i++) {
            UUID id = previous.chunkId(i);
            if (!keep.containsKey(id)) {
                chunksDeleted.inc();
                out.collect(ChunkChange.of(RowKind.DELETE, id.toString(), change.docId(), -1, null, null,
                        change.sourceTimestamp()));
            }
        }
    }

    /** Order-independent fingerprint of the metadata: sorted, length-prefixed, hashed. */
    static long fingerprint(Map<String, String> metadata) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(metadata).forEach((key, value) -> canonical
                .append(key.length()).append(':').append(key)
                .append(value.length()).append(':').append(value));
        UUID uuid = UUID.nameUUIDFromBytes(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
    }
}
