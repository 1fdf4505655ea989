package dev.flinkrag.chunking;

import dev.flinkrag.common.ProgressLog;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns document changes into the smallest changelog of chunk changes. Keyed by document id.
 *
 * <p>For each change newer than the last applied version it re-splits the document and compares the
 * chunk ids with the ones in state: ids that are gone become DELETEs, new ids INSERTs (to be embedded),
 * ids whose ordinal or document metadata changed metadata-only UPDATE_AFTERs, and the rest produce
 * nothing. Each processed version ends with the {@linkplain ChunkChange#documentChunks list of the document's
 * chunk ids}. A change that is not newer than the stored version is dropped and counted.
 *
 * <p>A version that cannot be indexed (an id or metadata some store would refuse, see {@link DocumentChecks}, or
 * any exception while chunking it) goes to {@link #DEAD_LETTERS} and removes the document's chunks, as a delete
 * would: a from-scratch run fails on it the same way and indexes nothing of it.
 */
@PublicEvolving
public class IncrementalChunker extends KeyedProcessFunction<String, DocumentChange, ChunkChange> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IncrementalChunker.class);

    /** Documents that cannot be indexed (stage {@code chunk}): a bad id or metadata, or a failure while chunking. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("chunking-dead-letters") {};

    private final ChunkingOptions options;

    private transient Function<String, List<String>> splitter;
    private transient ValueState<DocumentChunkState> state;
    /** When a deleted document's tombstone expires (processing time); set only while it is deleted. */
    private transient ValueState<Long> tombstoneExpiry;
    private transient Counter documentChanges;
    private transient Counter staleChangesDropped;
    private transient Counter chunksInserted;
    private transient Counter chunksDeleted;
    private transient Counter chunksMetadataUpdated;
    private transient Counter chunksUnchanged;
    private transient Counter deadLetters;
    private transient Counter tombstonesExpired;
    private transient ProgressLog progress;
    /** The change being processed, so that a task that fails on one names it: see {@link #close()}. */
    @Nullable private transient DocumentChange inProgress;

    /** @param options with a tokenizer ({@link ChunkingOptions#forModel} or {@link ChunkingOptions#withTokenizer}) */
    public IncrementalChunker(ChunkingOptions options) {
        if (!options.hasTokenizer()) {
            throw new IllegalArgumentException("IncrementalChunker needs ChunkingOptions with a tokenizer: "
                    + "options.forModel(model) or options.withTokenizer(…)");
        }
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        splitter = options.createSplitter();
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("document-chunks", DocumentChunkState.class));
        tombstoneExpiry = getRuntimeContext().getState(new ValueStateDescriptor<>("tombstone-expiry", Long.class));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("chunking");
        documentChanges = metrics.counter("documentChanges");
        staleChangesDropped = metrics.counter("staleChangesDropped");
        chunksInserted = metrics.counter("chunksInserted");
        chunksDeleted = metrics.counter("chunksDeleted");
        chunksMetadataUpdated = metrics.counter("chunksMetadataUpdated");
        chunksUnchanged = metrics.counter("chunksUnchanged");
        deadLetters = metrics.counter("deadLetters");
        tombstonesExpired = metrics.counter("tombstonesExpired");
        progress = new ProgressLog(LOG, "chunker " + (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + 1) + "/"
                + getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    }

    @Override
    public void processElement(DocumentChange change, Context context, Collector<ChunkChange> out) throws IOException {
        DocumentChunkState previous = state.value();
        if (previous != null && change.version() <= previous.version) {
            staleChangesDropped.inc();
            return;
        }
        documentChanges.inc();
        if (previous != null && previous.chunkCount() == 0 && options.tombstoneTtl().toMillis() > 0) {
            tombstoneExpiry.clear(); // back (or empty): its pending expiry must not forget it
        }
        inProgress = change;
        process(change, previous, context, out);
        inProgress = null;
        progress.maybeLog(() -> "document changes " + documentChanges.getCount() + " (stale dropped "
                + staleChangesDropped.getCount() + "), chunks new " + chunksInserted.getCount() + ", unchanged "
                + chunksUnchanged.getCount() + ", moved/metadata-only " + chunksMetadataUpdated.getCount() + ", deleted "
                + chunksDeleted.getCount() + ", dead letters " + deadLetters.getCount());
    }

    private void process(DocumentChange change, DocumentChunkState previous, Context context, Collector<ChunkChange> out)
            throws IOException {
        if (change.kind() == DocumentChange.Kind.DELETE) {
            removeDocument(change, previous, context, out);
            return;
        }
        Chunks chunks;
        try {
            chunks = chunksOf(change);
        } catch (RuntimeException e) {
            // a from-scratch run fails on this version the same way, so it would not index the document either
            chunks = new Chunks(null, null, 0, "unexpected " + e.getClass().getName() + ": " + e.getMessage());
            LOG.warn("Chunking document {} (version {}) failed; it leaves the index", change.docId(), change.version(), e);
        }
        if (chunks.problem != null) {
            deadLetters.inc();
            context.output(DEAD_LETTERS, new DeadLetter(change.docId(), change.version(), "chunk", chunks.problem));
            removeDocument(change, previous, context, out);
            return;
        }
        emitChanges(change, previous, chunks, out);
    }

    /** The document's chunks, or the problem that keeps it out of the index. No output yet: see the caller. */
    private Chunks chunksOf(DocumentChange change) {
        String problem = DocumentChecks.problem(change);
        if (problem == null && change.text() == null) {
            problem = "field 'text' is not set; parse the document first";
        }
        if (problem != null) {
            return new Chunks(null, null, 0, problem);
        }
        List<String> texts = splitter.apply(change.text());
        return new Chunks(texts, ChunkIds.of(change.docId(), texts), fingerprint(change.metadata()), null);
    }

    private void emitChanges(DocumentChange change, DocumentChunkState previous, Chunks chunks, Collector<ChunkChange> out)
            throws IOException {
        List<UUID> ids = chunks.ids;
        boolean metadataChanged = previous == null || previous.metadataFingerprint != chunks.metadataFingerprint;
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
            out.collect(ChunkChange.of(kind, id.toString(), change.docId(), ordinal, chunks.texts.get(ordinal),
                    change.metadata(), change.sourceTimestamp()));
        }
        emitDeletes(change, previous, current, out);
        out.collect(ChunkChange.documentChunks(change.docId(), ids.stream().map(UUID::toString).toList(),
                change.metadata(), change.sourceTimestamp()));
        state.update(new DocumentChunkState(change.version(), chunks.metadataFingerprint, ids));
    }

    /** The document has no chunks from this version on: deleted, or not indexable. */
    private void removeDocument(DocumentChange change, DocumentChunkState previous, Context context,
            Collector<ChunkChange> out) throws IOException {
        // a store cannot look up a document by an id it refuses; such a document never had chunks
        if (DocumentChecks.docIdProblem(change.docId()) == null) {
            emitDeletes(change, previous, Map.of(), out);
            out.collect(ChunkChange.documentChunks(change.docId(), List.of(), null, change.sourceTimestamp()));
        }
        state.update(new DocumentChunkState(change.version(), 0L, List.of()));
        long ttl = options.tombstoneTtl().toMillis();
        if (ttl > 0) {
            long expiry = context.timerService().currentProcessingTime() + ttl;
            tombstoneExpiry.update(expiry);
            context.timerService().registerProcessingTimeTimer(expiry);
        }
    }

    /** Forgets a deleted document once its tombstone expires, unless it came back (or was deleted again) since. */
    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<ChunkChange> out) throws IOException {
        Long expiry = tombstoneExpiry.value();
        if (expiry != null && expiry == timestamp) {
            state.clear();
            tombstoneExpiry.clear();
            tombstonesExpired.inc();
        }
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

    /**
     * Called when the task ends, also when it fails. A failure here or in a chained operator after it, while a
     * change was on its way, is logged naming the document, so a restart loop on one document can be told apart
     * from a store outage, and ended with {@code parsing.skip-documents}.
     */
    @Override
    public void close() throws Exception {
        if (inProgress != null) {
            LOG.error("The task stopped while document '{}' (version {}) was being chunked or passed on to the next "
                    + "operators. If the job restarts on this document again and again, leave it out with option "
                    + "'parsing.skip-documents' (ParsingOptions.builder().skipDocuments(\"{}\")).",
                    inProgress.docId(), inProgress.version(), inProgress.docId());
        }
        super.close();
    }

    /** A document version's chunk texts and ids, or why it has none. */
    private record Chunks(List<String> texts, List<UUID> ids, long metadataFingerprint, @Nullable String problem) {}

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
