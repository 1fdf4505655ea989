package dev.flinkrag.examples;

import org.apache.flink.api.common.functions.AggregateFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts a service's log lines of one window by level and its error messages (at most 1,000 distinct kept). */
final class LogWindowAggregate implements AggregateFunction<LogEvent, LogWindowAggregate.Counts, LogWindowAggregate.Counts> {

    private static final long serialVersionUID = 1L;
    private static final int MAX_DISTINCT_ERRORS = 1_000;
    static final int TOP_ERRORS = 3;

    /** The accumulator. */
    public static final class Counts {
        public long lines;
        public long errors;
        public long warnings;
        public HashMap<String, Long> errorMessages = new HashMap<>();

        /** The most frequent error messages, most frequent first (ties by message). */
        List<Map.Entry<String, Long>> topErrors() {
            List<Map.Entry<String, Long>> sorted = new ArrayList<>(errorMessages.entrySet());
            sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            return sorted.subList(0, Math.min(TOP_ERRORS, sorted.size()));
        }
    }

    @Override
    public Counts createAccumulator() {
        return new Counts();
    }

    @Override
    public Counts add(LogEvent event, Counts counts) {
        counts.lines++;
        switch (event.level()) {
            case "ERROR", "FATAL" -> {
                counts.errors++;
                if (counts.errorMessages.size() < MAX_DISTINCT_ERRORS || counts.errorMessages.containsKey(event.message())) {
                    counts.errorMessages.merge(event.message(), 1L, Long::sum);
                }
            }
            case "WARN", "WARNING" -> counts.warnings++;
            default -> { }
        }
        return counts;
    }

    @Override
    public Counts getResult(Counts counts) {
        return counts;
    }

    @Override
    public Counts merge(Counts a, Counts b) {
        a.lines += b.lines;
        a.errors += b.errors;
        a.warnings += b.warnings;
        b.errorMessages.forEach((message, n) -> a.errorMessages.merge(message, n, Long::sum));
        return a;
    }
}
