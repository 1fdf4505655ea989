package dev.flinkrag.sink;

import dev.flinkrag.testing.RandomOperations;
import dev.flinkrag.testing.ReferenceStore;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class OperationBufferTest {

    private static final float[] V1 = {1, 0};
    private static final float[] V2 = {0, 1};

    @Test
    void deleteThenInsertOfOneIdLeavesTheRow() {
        OperationBuffer buffer = new OperationBuffer();
        buffer.add(VectorOperation.delete("a"));
        buffer.add(VectorOperation.upsert("a", "text", V1, Map.of()));
        assertThat(buffer.drain()).singleElement()
                .satisfies(op -> assertThat(op.kind()).isEqualTo(VectorOperation.Kind.UPSERT));
    }

    @Test
    void insertThenDeleteLeavesADelete() {
        OperationBuffer buffer = new OperationBuffer();
        buffer.add(VectorOperation.upsert("a", "text", V1, Map.of()));
        buffer.add(VectorOperation.delete("a"));
        assertThat(buffer.drain()).singleElement()
                .satisfies(op -> assertThat(op.kind()).isEqualTo(VectorOperation.Kind.DELETE));
    }

    @Test
    void metadataUpdateOfABufferedInsertKeepsItsVector() {
        OperationBuffer buffer = new OperationBuffer();
        buffer.add(VectorOperation.upsert("a", "text", V1, Map.of("ordinal", 1)));
        buffer.add(VectorOperation.updateMetadata("a", "text", Map.of("ordinal", 2)));
        VectorOperation op = buffer.drain().get(0);
        assertThat(op.kind()).isEqualTo(VectorOperation.Kind.UPSERT);
        assertThat(op.vector()).isEqualTo(V1);
        assertThat(op.metadata()).isEqualTo(Map.of("ordinal", 2));
    }

    /** Found by the random LangChain4j-store stream: the update must not bring the deleted entry back. */
    @Test
    void metadataUpdateAfterADeleteStaysADelete() {
        OperationBuffer buffer = new OperationBuffer();
        buffer.add(VectorOperation.delete("a"));
        buffer.add(VectorOperation.updateMetadata("a", "text", Map.of("ordinal", 2)));
        assertThat(buffer.drain()).singleElement()
                .satisfies(op -> assertThat(op.kind()).isEqualTo(VectorOperation.Kind.DELETE));
    }

    @Test
    void lastOperationPerIdWinsAndOtherIdsAreKept() {
        OperationBuffer buffer = new OperationBuffer();
        buffer.add(VectorOperation.upsert("a", "one", V1, Map.of()));
        buffer.add(VectorOperation.upsert("b", "two", V1, Map.of()));
        buffer.add(VectorOperation.upsert("a", "three", V2, Map.of()));
        List<VectorOperation> drained = buffer.drain();
        assertThat(drained).extracting(VectorOperation::id, VectorOperation::text)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a", "three"),
                        org.assertj.core.groups.Tuple.tuple("b", "two"));
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void aRetainRemovesTheDocumentsOtherEntriesBufferedBeforeIt() {
        OperationBuffer buffer = new OperationBuffer();
        buffer.add(VectorOperation.upsert("a", "one", V1, Map.of("doc", "d")));
        buffer.add(VectorOperation.upsert("b", "two", V1, Map.of("doc", "d")));
        buffer.add(VectorOperation.retainOnly("doc", "d", List.of("b")));
        List<VectorOperation> drained = buffer.drain();
        assertThat(drained).extracting(VectorOperation::kind).containsExactly(
                VectorOperation.Kind.RETAIN_ONLY, VectorOperation.Kind.DELETE, VectorOperation.Kind.UPSERT);
        assertThat(drained.get(1).id()).isEqualTo("a");
    }

    @Test
    void entriesWrittenAfterARetainSurviveIt() {
        OperationBuffer buffer = new OperationBuffer();
        buffer.add(VectorOperation.retainOnly("doc", "d", List.of()));
        buffer.add(VectorOperation.upsert("a", "one", V1, Map.of("doc", "d")));
        ReferenceStore store = new ReferenceStore();
        store.applyAll(buffer.drain());
        assertThat(store.entries()).containsOnlyKeys("a");
    }

    /**
     * Random operations on few ids and documents, flushed at random points: applying each flush (retains first)
     * leaves the store exactly as applying every operation in arrival order.
     */
    @RepeatedTest(300)
    void flushesEqualApplyingEveryOperationInOrder(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        ReferenceStore inOrder = new ReferenceStore();
        ReferenceStore flushed = new ReferenceStore();
        OperationBuffer buffer = new OperationBuffer();
        List<VectorOperation> history = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            VectorOperation operation = RandomOperations.next(random, i, 6, 2, 2);
            history.add(operation);
            inOrder.apply(operation);
            buffer.add(operation);
            if (random.nextInt(10) == 0) {
                flushed.applyAll(buffer.drain());
                assertThat(flushed.entries()).as("after %s", history).isEqualTo(inOrder.entries());
            }
        }
        flushed.applyAll(buffer.drain());
        assertThat(flushed.entries()).as("after %s", history).isEqualTo(inOrder.entries());
    }
}
