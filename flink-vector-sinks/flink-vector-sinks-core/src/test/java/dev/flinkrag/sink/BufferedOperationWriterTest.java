package dev.flinkrag.sink;

import dev.flinkrag.common.RetryOptions;
import dev.flinkrag.testing.NoTimers;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferedOperationWriterTest {

    private static final BufferedWriteOptions OPTIONS =
            new BufferedWriteOptions(100, Duration.ofHours(1), new RetryOptions(0, Duration.ofMillis(1), Duration.ofMillis(2)));

    /** A store that refuses one entry fails the job naming that entry and its metadata, not just "a flush". */
    @Test
    void aStoreRefusingOneOperationIsReportedNamingIt() throws Exception {
        List<String> applied = new ArrayList<>();
        VectorStoreWriter store = operations -> {
            for (VectorOperation operation : operations) {
                if (operation.id().equals("bad")) {
                    throw new IllegalArgumentException("value too long for the index");
                }
            }
            operations.forEach(operation -> applied.add(operation.id()));
            return 0;
        };
        BufferedOperationWriter<VectorOperation> writer = writer(store);
        for (String id : new String[] {"a", "bad", "c"}) {
            writer.write(VectorOperation.upsert(id, "text", new float[] {1}, Map.of("doc_id", "doc-" + id)));
        }

        assertThatThrownBy(writer::flush)
                .hasMessageContaining("test store refused UPSERT of id bad (metadata {doc_id=doc-bad})")
                .hasMessageContaining("value too long for the index");
        assertThat(applied).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void aStoreRefusingEverythingIsTheStoresFault() throws Exception {
        BufferedOperationWriter<VectorOperation> writer = writer(operations -> {
            throw new IllegalStateException("permission denied for table chunks");
        });
        writer.write(VectorOperation.delete("a"));
        writer.write(VectorOperation.delete("b"));

        assertThatThrownBy(writer::flush).hasMessage("flush of 2 operations into test store failed")
                .hasRootCauseMessage("permission denied for table chunks");
    }

    private static BufferedOperationWriter<VectorOperation> writer(VectorStoreWriter store) {
        return new BufferedOperationWriter<>(operation -> operation, store, OPTIONS, new NoTimers(),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(), "test store");
    }
}
