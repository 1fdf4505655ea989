package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;

import org.apache.flink.annotation.PublicEvolving;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps chunk changes to store operations. Each stored chunk carries the document metadata plus
 * {@value ChunkChange#DOC_ID} and {@value ChunkChange#ORDINAL}, so a store can filter by document; a document's
 * chunk list becomes a {@link VectorOperation.Kind#RETAIN_ONLY} on {@value ChunkChange#DOC_ID}.
 */
@PublicEvolving
public final class ChunkChangeConverter implements VectorOperationConverter<ChunkChange> {

    private static final long serialVersionUID = 1L;

    @Override
    public VectorOperation convert(ChunkChange change) {
        if (change.isDocumentChunks()) {
            return VectorOperation.retainOnly(ChunkChange.DOC_ID, change.docId(), change.documentChunkIds())
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
            case UPDATE_AFTER -> VectorOperation.updateMetadata(change.chunkId(), change.text(), metadataOf(change));
            case DELETE -> VectorOperation.delete(change.chunkId());
            case UPDATE_BEFORE -> throw new IllegalArgumentException(
                    "chunk " + change.chunkId() + ": UPDATE_BEFORE rows are not part of the chunk changelog");
        };
        return operation.withSourceTimestamp(change.sourceTimestamp());
    }

    /** By document: a document's chunk list and the changes of its chunks go to one writer, in order. */
    @Override
    public String routingKeyOf(ChunkChange change) {
        return change.docId();
    }

    public static Map<String, Object> metadataOf(ChunkChange change) {
        Map<String, Object> metadata = new HashMap<>(change.metadata());
        metadata.put(ChunkChange.DOC_ID, change.docId());
        metadata.put(ChunkChange.ORDINAL, change.ordinal());
        return metadata;
    }
}
