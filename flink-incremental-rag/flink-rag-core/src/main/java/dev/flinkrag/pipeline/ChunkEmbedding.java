package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.embedding.EmbeddingRejection;
import dev.flinkrag.embedding.EmbeddingRequestMapper;

/** Embeds inserted chunks; deletes and metadata-only updates pass through without a model call. */
final class ChunkEmbedding implements EmbeddingRequestMapper<ChunkChange, ChunkChange> {

    private static final long serialVersionUID = 1L;

    @Override
    public String textToEmbed(ChunkChange change) {
        return change.needsEmbedding() ? change.text() : null;
    }

    @Override
    public ChunkChange withVector(ChunkChange change, float[] vector) {
        return change.withVector(vector);
    }

    @Override
    public String describe(ChunkChange change) {
        return "chunk " + change.chunkId() + " of document " + change.docId();
    }

    /** A refused chunk as a dead letter of its document; the chunk stage does not know the document version. */
    static DeadLetter toDeadLetter(EmbeddingRejection<ChunkChange> rejection) {
        return new DeadLetter(rejection.record().docId(), DeadLetter.UNKNOWN_VERSION, "embed",
                rejection.description() + ": " + rejection.reason());
    }
}
