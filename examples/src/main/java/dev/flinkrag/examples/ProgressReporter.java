package dev.flinkrag.examples;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.Scheduled;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prints one progress line whenever the pipeline's counters move: files read, chunks embedded (by the
 * model or from the cache) and skipped, dead letters, index size and lag. A plain Flink metric reporter, so it works on any cluster.
 */
public final class ProgressReporter implements MetricReporter, Scheduled {

    private final Map<Metric, String> metrics = new ConcurrentHashMap<>();
    private final PrintStream out = System.out;
    private String lastLine = "";

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        metrics.put(metric, name);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        metrics.remove(metric);
    }

    @Override
    public void report() {
        String line = String.format(
                "[flink-rag] files read %d | chunks embedded %d, from cache %d, unchanged %d, "
                        + "moved/metadata-only %d, deleted %d | stale changes dropped %d | dead letters %d | "
                        + "index %d entries, lag %d ms",
                sum("filesRead"), sum("textsEmbedded"), sum("cacheHits"), sum("chunksUnchanged"),
                sum("chunksMetadataUpdated"), sum("chunksDeleted"), sum("staleChangesDropped"),
                sum("deadLetters") + sum("rejected"), sum("indexedEntries"), sum("indexLagMillis"));
        if (!line.equals(lastLine)) {
            out.println(line);
            lastLine = line;
        }
    }

    private long sum(String name) {
        long total = 0;
        for (Map.Entry<Metric, String> entry : metrics.entrySet()) {
            if (!entry.getValue().equals(name)) {
                continue;
            }
            if (entry.getKey() instanceof Counter counter) {
                total += counter.getCount();
            } else if (entry.getKey() instanceof Gauge<?> gauge && gauge.getValue() instanceof Number number) {
                total += Math.max(0, number.longValue());
            }
        }
        return total;
    }
}
