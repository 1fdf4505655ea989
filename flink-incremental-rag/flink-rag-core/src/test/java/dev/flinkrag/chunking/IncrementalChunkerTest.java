package dev.flinkrag.chunking;

import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.Prose;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunker alone, on Flink's keyed test harness: the changelog it emits for each kind of change. */
class IncrementalChunkerTest {

    private static final String DOC = "handbook.md";
    private final List<String> paragraphs = new Prose(3).paragraphs(4);
    private KeyedOneInputStreamOperatorTestHarness<String, DocumentChange, ChunkChange> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new IncrementalChunker(HashingEmbeddingModel.SPLITTING), DocumentChange::docId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aNewDocumentInsertsEveryChunkAndEndsWithItsChunkList() throws Exception {
        List<ChunkChange> out = process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of("title", "v1")));

        List<ChunkChange> chunks = out.subList(0, out.size() - 1);
        assertThat(chunks).isNotEmpty().allSatisfy(change -> {
            assertThat(change.kind()).isEqualTo(RowKind.INSERT);
            assertThat(change.metadata()).containsEntry("title", "v1");
        });
        assertThat(out.get(out.size() - 1).documentChunkIds())
                .containsExactlyElementsOf(chunks.stream().map(ChunkChange::chunkId).toList());
    }

    @Test
    void anEditInsertsOnlyNewChunkTextsDeletesTheOldOnesAndLeavesUnmovedChunksAlone() throws Exception {
        Function<String, List<String>> splitter = HashingEmbeddingModel.SPLITTING.createSplitter();
        List<String> edited = new ArrayList<>(paragraphs);
        edited.set(2, new Prose(99).paragraph());
        List<String> before = splitter.apply(Prose.join(paragraphs));
        List<String> after = splitter.apply(Prose.join(edited));
        process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of()));

        List<ChunkChange> out = process(DocumentChange.upsert(DOC, 2, Prose.join(edited), Map.of()));

        List<ChunkChange> changes = out.subList(0, out.size() - 1);
        assertThat(changes).filteredOn(change -> change.kind() == RowKind.INSERT).extracting(ChunkChange::text)
                .containsExactlyInAnyOrderElementsOf(after.stream().filter(text -> !before.contains(text)).toList());
        assertThat(changes).filteredOn(change -> change.kind() == RowKind.DELETE)
                .hasSize((int) before.stream().filter(text -> !after.contains(text)).count());
        // a chunk that kept its text and its position produces nothing
        assertThat(changes).filteredOn(change -> change.kind() == RowKind.UPDATE_AFTER)
                .allSatisfy(change -> assertThat(before.indexOf(change.text())).isNotEqualTo(change.ordinal()));
        assertThat(changes.size()).isLessThan(before.size() + after.size());
    }

    @Test
    void aMetadataChangeUpdatesEveryChunkWithoutNewText() throws Exception {
        process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of("title", "old")));

        List<ChunkChange> out = process(DocumentChange.upsert(DOC, 2, Prose.join(paragraphs), Map.of("title", "new")));

        assertThat(out).filteredOn(change -> !change.isDocumentChunks()).isNotEmpty()
                .allSatisfy(change -> assertThat(change.kind()).isEqualTo(RowKind.UPDATE_AFTER));
    }

    @Test
    void aStaleVersionIsDropped() throws Exception {
        process(DocumentChange.upsert(DOC, 5, Prose.join(paragraphs), Map.of()));

        assertThat(process(DocumentChange.upsert(DOC, 4, "An older text.", Map.of()))).isEmpty();
        assertThat(process(DocumentChange.delete(DOC, 5))).isEmpty();
    }

    /** Bad metadata dead-letters the version and removes the document's chunks, as a delete would. */
    @Test
    void aVersionWithMetadataAStoreRefusesIsDeadLetteredAndRemovesTheDocument() throws Exception {
        List<ChunkChange> first = process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of()));

        List<ChunkChange> out = process(DocumentChange.upsert(DOC, 2, Prose.join(paragraphs),
                Map.of("author", "Ada\u0000Lovelace")));

        assertThat(out.subList(0, out.size() - 1)).allSatisfy(change -> assertThat(change.kind()).isEqualTo(RowKind.DELETE))
                .hasSize(first.size() - 1);
        assertThat(out.get(out.size() - 1).documentChunkIds()).isEmpty();
        assertThat(harness.getSideOutput(IncrementalChunker.DEAD_LETTERS)).extracting(StreamRecord::getValue)
                .containsExactly(new DeadLetter(DOC, 2, "chunk",
                        "metadata key 'author' holds a control character or an unpaired surrogate"));

        // the next good version is indexed in full again
        List<ChunkChange> again = process(DocumentChange.upsert(DOC, 3, Prose.join(paragraphs), Map.of()));
        assertThat(again).filteredOn(change -> !change.isDocumentChunks()).hasSize(first.size() - 1)
                .allSatisfy(change -> assertThat(change.kind()).isEqualTo(RowKind.INSERT));
    }

    /** An id no store can look a document up by never had chunks: dead letter, nothing else. */
    @Test
    void anIdAStoreRefusesIsOnlyDeadLettered() throws Exception {
        String badId = "x".repeat(DocumentChecks.MAX_DOC_ID_BYTES + 1);

        assertThat(process(DocumentChange.upsert(badId, 1, "Some text.", Map.of()))).isEmpty();
        assertThat(process(DocumentChange.delete(badId, 2))).isEmpty();
        assertThat(harness.getSideOutput(IncrementalChunker.DEAD_LETTERS)).extracting(StreamRecord::getValue)
                .extracting(DeadLetter::reason).containsExactly("field 'docId' is 2049 bytes of UTF-8, more than 2048");
    }

    /**
     * A deleted document's tombstone drops an older version that arrives late, and its state is freed once the
     * tombstone expires; after that such a version is indexed as new (the documented trade-off).
     */
    @Test
    void aDeletedDocumentIsForgottenOnceItsTombstoneExpires() throws Exception {
        useTombstoneTtl(Duration.ofHours(1));
        harness.setProcessingTime(0);
        process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of()));
        process(DocumentChange.delete(DOC, 3));
        assertThat(process(DocumentChange.upsert(DOC, 2, Prose.join(paragraphs), Map.of())))
                .as("an older version after the delete is dropped").isEmpty();
        assertThat(harness.numKeyedStateEntries()).as("the tombstone and its expiry").isEqualTo(2);

        harness.setProcessingTime(Duration.ofHours(1).toMillis());
        assertThat(harness.numKeyedStateEntries()).as("a deleted document costs no state once expired").isZero();
        assertThat(process(DocumentChange.upsert(DOC, 2, Prose.join(paragraphs), Map.of())))
                .as("after expiry a late older version is indexed as new").isNotEmpty();
    }

    @Test
    void aDocumentThatCameBackIsNotForgottenWhenItsOldTombstoneWouldHaveExpired() throws Exception {
        useTombstoneTtl(Duration.ofHours(1));
        harness.setProcessingTime(0);
        process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of()));
        process(DocumentChange.delete(DOC, 2));
        harness.setProcessingTime(Duration.ofMinutes(10).toMillis());
        process(DocumentChange.upsert(DOC, 3, Prose.join(paragraphs), Map.of()));
        process(DocumentChange.delete(DOC, 4));
        harness.setProcessingTime(Duration.ofHours(1).toMillis());
        assertThat(harness.numKeyedStateEntries()).as("the second tombstone lives its own hour").isEqualTo(2);
        assertThat(process(DocumentChange.upsert(DOC, 3, Prose.join(paragraphs), Map.of()))).isEmpty();

        harness.setProcessingTime(Duration.ofMinutes(70).toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void withoutATtlATombstoneStaysForever() throws Exception {
        useTombstoneTtl(Duration.ZERO);
        harness.setProcessingTime(0);
        process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of()));
        process(DocumentChange.delete(DOC, 2));
        harness.setProcessingTime(Duration.ofDays(365).toMillis());
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(process(DocumentChange.upsert(DOC, 1, Prose.join(paragraphs), Map.of()))).isEmpty();
    }

    private void useTombstoneTtl(Duration ttl) throws Exception {
        harness.close();
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new IncrementalChunker(HashingEmbeddingModel.SPLITTING.withTombstoneTtl(ttl)), DocumentChange::docId,
                Types.STRING);
    }

    private List<ChunkChange> process(DocumentChange change) throws Exception {
        int before = harness.extractOutputValues().size();
        harness.processElement(change, 0);
        List<ChunkChange> all = harness.extractOutputValues();
        return new ArrayList<>(all.subList(before, all.size()));
    }
}
