package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.sink.VectorOperation;

import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkChangeConverterTest {

    private final ChunkChangeConverter converter = new ChunkChangeConverter();

    @Test
    void anEmbeddedInsertIsAnUpsertWithTheDocumentAndPositionInItsMetadata() {
        ChunkChange insert = ChunkChange.of(RowKind.INSERT, "c1", "a.md", 3, "Text.", Map.of("title", "A"), 42)
                .withVector(new float[] {1f, 2f});
        VectorOperation operation = converter.convert(insert);
        assertThat(operation.kind()).isEqualTo(VectorOperation.Kind.UPSERT);
        assertThat(operation.id()).isEqualTo("c1");
        assertThat(operation.text()).isEqualTo("Text.");
        assertThat(operation.vector()).containsExactly(1f, 2f);
        assertThat(operation.metadata()).containsOnly(Map.entry("title", "A"), Map.entry("doc_id", "a.md"),
                Map.entry("ordinal", 3));
        assertThat(operation.sourceTimestamp()).isEqualTo(42);
    }

    @Test
    void aMovedChunkUpdatesMetadataOnlyAndADeleteRemovesTheEntry() {
        VectorOperation moved = converter.convert(
                ChunkChange.of(RowKind.UPDATE_AFTER, "c1", "a.md", 4, "Text.", Map.of(), 1));
        assertThat(moved.kind()).isEqualTo(VectorOperation.Kind.UPDATE_METADATA);
        assertThat(moved.vector()).isNull();
        assertThat(moved.metadata()).containsEntry("ordinal", 4);
        VectorOperation deleted = converter.convert(ChunkChange.of(RowKind.DELETE, "c1", "a.md", -1, null, null, 1));
        assertThat(deleted.kind()).isEqualTo(VectorOperation.Kind.DELETE);
        assertThat(deleted.id()).isEqualTo("c1");
    }

    @Test
    void aDocumentsChunkListRetainsOnlyThoseChunksOfTheDocumentAndCarriesItsRecord() {
        VectorOperation retain = converter.convert(
                ChunkChange.documentChunks("a.md", List.of("c2", "c1"), Map.of("title", "A"), 7));
        assertThat(retain.kind()).isEqualTo(VectorOperation.Kind.RETAIN_ONLY);
        assertThat(retain.documentField()).isEqualTo("doc_id");
        assertThat(retain.id()).isEqualTo("a.md");
        assertThat(retain.retainedIds()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(retain.document().entryIds()).containsExactly("c2", "c1");
        assertThat(retain.document().metadata()).containsOnly(Map.entry("title", "A"), Map.entry("doc_id", "a.md"));

        VectorOperation gone = converter.convert(ChunkChange.documentChunks("a.md", List.of(), null, 8));
        assertThat(gone.retainedIds()).isEmpty();
        assertThat(gone.document()).isNull();
    }

    @Test
    void forAStoreThatKeepsDocumentsChunksCarryOnlyTheirDocumentAndUnchangedTextIsNotRewritten() {
        ChunkChangeConverter records = ChunkChangeConverter.forStore(LuceneSink.<ChunkChange>builder());
        VectorOperation insert = records.convert(ChunkChange.of(RowKind.INSERT, "c1", "a.md", 3, "Text.",
                Map.of("title", "A", "modified_at", "2026-12-01"), 42).withVector(new float[] {1f}));
        assertThat(insert.metadata()).containsOnly(Map.entry("doc_id", "a.md"));
        assertThat(records.convert(ChunkChange.of(RowKind.UPDATE_AFTER, "c1", "a.md", 4, "Text.", Map.of(), 1)))
                .isNull();
        assertThat(records.convert(ChunkChange.documentChunks("a.md", List.of("c1"), Map.of("title", "B"), 7))
                .document().metadata()).containsEntry("title", "B");
    }

    @Test
    void everyChangeOfADocumentGoesToOneWriter() {
        assertThat(converter.routingKeyOf(ChunkChange.documentChunks("a.md", List.of(), null, 0))).isEqualTo("a.md");
        assertThat(converter.routingKeyOf(ChunkChange.of(RowKind.DELETE, "c9", "a.md", -1, null, null, 0)))
                .isEqualTo("a.md");
    }

    @Test
    void anInsertWithoutVectorAndAnUpdateBeforeAreRefusedNamingTheChunk() {
        assertThatThrownBy(() -> converter.convert(ChunkChange.of(RowKind.INSERT, "c1", "a.md", 0, "T", Map.of(), 0)))
                .hasMessageContaining("chunk c1 of document a.md").hasMessageContaining("'vector'");
        assertThatThrownBy(() -> converter.convert(
                ChunkChange.of(RowKind.UPDATE_BEFORE, "c1", "a.md", 0, "T", Map.of(), 0)))
                .hasMessageContaining("UPDATE_BEFORE");
    }
}
