package dev.flinkrag.examples;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring example's windows against an oracle counted by hand: 3 services logging in every 1 s window for
 * 30 s, shuffled up to 3 s out of order, at parallelism 2. Every window is upserted once with exactly the oracle's
 * counts and top errors, and deleted once — never before the service's stream has passed its end plus the retention.
 * A line too late for its window is not lost silently.
 */
class LogWindowDocumentsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final long WINDOW = 1_000;
    private static final long RETENTION = 5_000;
    private static final long START = 1_764_763_200_000L; // 2025-12-03T12:00:00Z, a window boundary
    private static final long LAST_WINDOW_END = START + 30_000;

    @Test
    void everyWindowIsUpsertedWithTheOracleCountsAndDeletedAfterTheRetention() throws Exception {
        Random random = new Random(3);
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            long timestamp = START + i * 10L;
            events.add(GeneratedLogs.line(i, timestamp, timestamp - START >= 12_000));
        }
        // out of order by up to 3 s (the job allows 5 s)
        Map<LogEvent, Integer> jitter = new HashMap<>();
        events.forEach(event -> jitter.put(event, random.nextInt(3_000)));
        events.sort(Comparator.comparingLong(event -> event.timestamp() + jitter.get(event)));
        Map<String, LogWindowAggregate.Counts> oracle = new TreeMap<>();
        LogWindowAggregate counting = new LogWindowAggregate();
        for (LogEvent event : events) {
            long start = event.timestamp() - (event.timestamp() - START) % WINDOW;
            counting.add(event, oracle.computeIfAbsent(LogWindow.documentId(event.service(), start),
                    id -> counting.createAccumulator()));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<DocumentChange> changes = new ArrayList<>();
        LogMonitoring.windowDocuments(paced(env, events), WINDOW, RETENTION).documents()
                .executeAndCollect().forEachRemaining(changes::add);

        Map<String, Integer> upserts = new HashMap<>();
        Map<String, Integer> deletes = new HashMap<>();
        Map<String, Long> newestUpsertedEnd = new HashMap<>();
        for (DocumentChange change : changes) {
            String service = change.docId().split("/")[1];
            if (change.kind() == DocumentChange.Kind.UPSERT) {
                assertThat(deletes).as("upserted after its delete: %s", change.docId()).doesNotContainKey(change.docId());
                upserts.merge(change.docId(), 1, Integer::sum);
                newestUpsertedEnd.merge(service, change.version(), Math::max);
                LogWindowAggregate.Counts counts = oracle.get(change.docId());
                assertThat(counts).as(change.docId()).isNotNull();
                assertThat(change.text()).isEqualTo(expectedText(change.docId(), change.version(), counts));
            } else {
                long end = change.version() - RETENTION;
                assertThat(upserts).as("deleted before it was written: %s", change.docId()).containsKey(change.docId());
                if (end + RETENTION <= LAST_WINDOW_END) { // the end of the input fires the remaining timers at once
                    assertThat(newestUpsertedEnd.get(service)).as("%s deleted too early", change.docId())
                            .isGreaterThanOrEqualTo(end + RETENTION);
                }
                deletes.merge(change.docId(), 1, Integer::sum);
            }
        }
        assertThat(upserts.keySet()).isEqualTo(oracle.keySet());
        assertThat(upserts.values()).allMatch(n -> n == 1);
        assertThat(deletes).as("the end of the input passes every retention").isEqualTo(upserts);
        assertThat(oracle).hasSize(4 * 30);
        assertThat(changes).filteredOn(change -> change.kind() == DocumentChange.Kind.UPSERT)
                .anySatisfy(change -> assertThat(change.text()).contains("Service checkout is failing")
                        .contains(GeneratedLogs.CHECKOUT_FAILURE));
    }

    @Test
    void aLineLaterThanTheWatermarkAllowsComesOutAsLateInsteadOfVanishing() throws Exception {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            events.add(new LogEvent(START + i * 10L, "search", "INFO", "request served"));
        }
        LogEvent late = new LogEvent(START + 500, "search", "ERROR", "disk full");
        events.add(late); // 11.5 s after the lines around it
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        LogMonitoring.LogWindows windows = LogMonitoring.windowDocuments(paced(env, events), WINDOW, RETENTION);
        List<LogEvent> lateLines = new ArrayList<>();
        windows.documents().sinkTo(new DiscardingSink<>());
        try (CloseableIterator<LogEvent> collected = windows.late().collectAsync()) {
            env.execute("late logs");
            collected.forEachRemaining(lateLines::add);
        }
        assertThat(lateLines).containsExactly(late);
    }

    /** The events at about 2 ms each, so periodic watermarks advance while they flow, as on a live stream. */
    private static DataStream<LogEvent> paced(StreamExecutionEnvironment env, List<LogEvent> events) {
        return env.fromData(events).setParallelism(1).map(event -> {
            Thread.sleep(2);
            return event;
        }).setParallelism(1);
    }

    private static String expectedText(String docId, long end, LogWindowAggregate.Counts counts) {
        List<String> messages = new ArrayList<>();
        List<Long> frequencies = new ArrayList<>();
        counts.topErrors().forEach(error -> {
            messages.add(error.getKey());
            frequencies.add(error.getValue());
        });
        return new LogWindow(docId.split("/")[1], end - WINDOW, end, counts.lines, counts.errors, counts.warnings,
                messages, frequencies).text();
    }
}
