package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps chunk changes to store operations. Each stored chunk carries the document metadata plus
 * {@value ChunkChange#DOC_ID} and {@value ChunkChange#ORDINAL}, so a store can filter by document.
 */
public final class ChunkChangeConverter implements VectorOperationConverter<ChunkChange> {

    private static final long serialVersionUID = 1L;

    @Override
    public VectorOperation convert(ChunkChange change) {
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

    @Override
    public String idOf(ChunkChange change) {
        return change.chunkId();
    }

    public static Map<String, Object> metadataOf(ChunkChange change) {
        Map<String, Object> metadata = new HashMap<>(change.metadata());
        metadata.put(ChunkChange.DOC_ID, change.docId());
        metadata.put(ChunkChange.ORDINAL, change.ordinal());
        return metadata;
    }
}
