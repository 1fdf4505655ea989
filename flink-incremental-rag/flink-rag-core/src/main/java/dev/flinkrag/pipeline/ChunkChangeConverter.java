package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.sink.VectorSinkFactory;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps chunk changes to store operations. A document's chunk list becomes a {@link VectorOperation.Kind#RETAIN_ONLY}
 * on {@value ChunkChange#DOC_ID} carrying the document's record (its metadata and its chunk ids in order). How the
 * rest is written depends on the store:
 *
 * <ul>
 *   <li>{@linkplain #forStore For a store that keeps documents} (Lucene, pgvector) a chunk is written with
 *       {@value ChunkChange#DOC_ID} only, and a chunk whose text did not change is never rewritten: its document's
 *       metadata and its position ({@value ChunkChange#ORDINAL}) live in the document record, which the store joins
 *       when reading. An edit writes its new chunks, deletes its old ones and rewrites one record.
 *   <li>For any other store ({@link #ChunkChangeConverter()}) each chunk carries the document metadata plus
 *       {@value ChunkChange#DOC_ID} and {@value ChunkChange#ORDINAL}, so the store can filter on them alone; a change
 *       of the document's metadata, or of a chunk's position, rewrites the chunk's metadata (never its vector).
 * </ul>
 */
@PublicEvolving
public final class ChunkChangeConverter implements VectorOperationConverter<ChunkChange> {

    private static final long serialVersionUID = 1L;

    private final boolean documentRecords;

    /** Document metadata and position on every chunk: for stores that do not keep documents. */
    public ChunkChangeConverter() {
        this(false);
    }

    private ChunkChangeConverter(boolean documentRecords) {
        this.documentRecords = documentRecords;
    }

    /** The converter for {@code store}: {@linkplain VectorSinkFactory#keepsDocuments document records} if it keeps them. */
    public static ChunkChangeConverter forStore(VectorSinkFactory<?> store) {
        return new ChunkChangeConverter(store.keepsDocuments());
    }

    /** {@code null} for a chunk whose text is unchanged when the store keeps documents: nothing to write. */
    @Nullable
    @Override
    public VectorOperation convert(ChunkChange change) {
        if (change.isDocumentChunks()) {
            return VectorOperation.document(ChunkChange.DOC_ID, change.docId(), recordOf(change))
                    .withSourceTimestamp(change.sourceTimestamp());
        }
        VectorOperation operation = switch (change.kind()) {
            case INSERT -> {
                if (change.vector() == null) {
                    throw new IllegalArgumentException("chunk " + change.chunkId() + " of document "
                            + change.docId() + " is an insert without field 'vector'; embed it first");
                }
                yield VectorOperation.upsert(change.chunkId(), change.text(), change.vector(), metadataOf(change));
            }
            case UPDATE_AFTER -> documentRecords ? null
                    : VectorOperation.updateMetadata(change.chunkId(), change.text(), metadataOf(change));
            case DELETE -> VectorOperation.delete(change.chunkId());
            case UPDATE_BEFORE -> throw new IllegalArgumentException(
                    "chunk " + change.chunkId() + ": UPDATE_BEFORE rows are not part of the chunk changelog");
        };
        return operation == null ? null : operation.withSourceTimestamp(change.sourceTimestamp());
    }

    /** By document: a document's chunk list and the changes of its chunks go to one writer, in order. */
    @Override
    public String routingKeyOf(ChunkChange change) {
        return change.docId();
    }

    /** What a chunk entry holds besides its text and vector. */
    private Map<String, Object> metadataOf(ChunkChange change) {
        if (documentRecords) {
            return Map.of(ChunkChange.DOC_ID, change.docId());
        }
        Map<String, Object> metadata = new HashMap<>(change.metadata());
        metadata.put(ChunkChange.DOC_ID, change.docId());
        metadata.put(ChunkChange.ORDINAL, change.ordinal());
        return metadata;
    }

    @Nullable
    private static VectorOperation.DocumentRecord recordOf(ChunkChange chunkList) {
        if (chunkList.metadata() == null) {
            return null;
        }
        Map<String, Object> metadata = new HashMap<>(chunkList.metadata());
        metadata.put(ChunkChange.DOC_ID, chunkList.docId());
        return new VectorOperation.DocumentRecord(metadata, chunkList.documentChunkIds());
    }
}
