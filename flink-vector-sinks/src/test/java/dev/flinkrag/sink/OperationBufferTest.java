package dev.flinkrag.sink;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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
}
