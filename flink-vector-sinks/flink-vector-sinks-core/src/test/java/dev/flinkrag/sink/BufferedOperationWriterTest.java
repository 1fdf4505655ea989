package dev.flinkrag.sink;

import dev.flinkrag.common.RetryOptions;
import dev.flinkrag.testing.NoTimers;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferedOperationWriterTest {

    private static final BufferedWriteOptions OPTIONS =
            new BufferedWriteOptions(100, Duration.ofHours(1), Duration.ZERO,
                    new RetryOptions(0, Duration.ofMillis(1), Duration.ofMillis(2)));

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

    /** A lone change is written once the linger passes without more; a steady stream by the interval. */
    @Test
    void aQuietBufferIsWrittenAfterTheLingerAndABusyOneAfterTheInterval() throws Exception {
        List<Integer> flushSizes = new ArrayList<>();
        ManualTimers timers = new ManualTimers();
        BufferedOperationWriter<VectorOperation> writer = new BufferedOperationWriter<>(operation -> operation,
                operations -> {
                    flushSizes.add(operations.size());
                    return 0;
                }, OPTIONS.withFlushInterval(Duration.ofMillis(200)).withLinger(Duration.ofMillis(10)), timers,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(), "test store");

        writer.write(VectorOperation.delete("lone"));
        timers.advanceTo(9);
        assertThat(flushSizes).isEmpty();
        timers.advanceTo(10);
        assertThat(flushSizes).containsExactly(1);

        // a change every 5 ms never leaves the buffer quiet for 10 ms: the interval writes it
        for (long now = 100; now < 400; now += 5) {
            timers.advanceTo(now);
            writer.write(VectorOperation.delete("busy-" + now));
        }
        assertThat(flushSizes).containsExactly(1, 40);
        timers.advanceTo(1000);
        assertThat(flushSizes).containsExactly(1, 40, 20);
    }

    /** Timers that fire when the test moves the clock. */
    private static final class ManualTimers implements ProcessingTimeService {
        private final TreeMap<Long, List<ProcessingTimeCallback>> timers = new TreeMap<>();
        private long now;

        void advanceTo(long time) throws Exception {
            while (!timers.isEmpty() && timers.firstKey() <= time) {
                Map.Entry<Long, List<ProcessingTimeCallback>> due = timers.pollFirstEntry();
                now = due.getKey();
                for (ProcessingTimeCallback callback : due.getValue()) {
                    callback.onProcessingTime(now);
                }
            }
            now = time;
        }

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            timers.computeIfAbsent(Math.max(timestamp, now), t -> new ArrayList<>()).add(target);
            return null;
        }
    }

    private static BufferedOperationWriter<VectorOperation> writer(VectorStoreWriter store) {
        return new BufferedOperationWriter<>(operation -> operation, store, OPTIONS, new NoTimers(),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(), "test store");
    }
}
