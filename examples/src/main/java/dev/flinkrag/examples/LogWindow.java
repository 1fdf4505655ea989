package dev.flinkrag.examples;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * What one service logged in one window: counts by level and its most frequent error messages. It becomes one
 * document of the index, written so a question about the service finds it and an answer can quote it.
 */
public record LogWindow(String service, long start, long end, long lines, long errors, long warnings,
        List<String> topErrors, List<Long> topErrorCounts) {

    /** From this share of error lines on, a window says its service is failing. */
    static final long FAILING_PERCENT = 5;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** The document id of a service's window: {@code logs/checkout/2026-12-03T12:03:00Z}. */
    static String documentId(String service, long start) {
        return "logs/" + service + "/" + Instant.ofEpochMilli(start);
    }

    String documentId() {
        return documentId(service, start);
    }

    String text() {
        StringBuilder text = new StringBuilder("Service ").append(service).append(" from ")
                .append(CLOCK.format(Instant.ofEpochMilli(start))).append(" to ")
                .append(CLOCK.format(Instant.ofEpochMilli(end))).append(" UTC on ")
                .append(DAY.format(Instant.ofEpochMilli(start))).append(": ").append(lines).append(" log lines, ")
                .append(count(errors, "error", "errors")).append(", ").append(count(warnings, "warning", "warnings"))
                .append(".\n");
        long errorPercent = lines == 0 ? 0 : Math.round(100.0 * errors / lines);
        if (errors == 0) {
            text.append("Service ").append(service).append(" logged no errors in this window; it is healthy.\n");
        } else {
            text.append("Service ").append(service).append(errorPercent >= FAILING_PERCENT ? " is failing: " : " is healthy: ")
                    .append(errorPercent).append(" % of its log lines are errors, most often ");
            for (int i = 0; i < topErrors.size(); i++) {
                text.append(i == 0 ? "" : ", then ").append('"').append(topErrors.get(i)).append("\" (")
                        .append(count(topErrorCounts.get(i), "time", "times")).append(')');
            }
            text.append(".\n");
        }
        return text.toString();
    }

    Map<String, String> metadata() {
        return Map.of("path", documentId(), "service", service, "window_start", Instant.ofEpochMilli(start).toString(),
                "window_end", Instant.ofEpochMilli(end).toString(), "errors", Long.toString(errors),
                "warnings", Long.toString(warnings));
    }

    private static String count(long n, String one, String many) {
        return n == 0 ? "no " + many : n + " " + (n == 1 ? one : many);
    }
}
