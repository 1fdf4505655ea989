package dev.flinkrag.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One log line of the monitoring example: {@code {"ts": 1764763200000 | "2026-12-03T12:00:00Z", "service": "checkout",
 * "level": "ERROR", "message": "…"}}.
 */
public record LogEvent(long timestamp, String service, String level, String message) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a JSON log line; throws naming the field that is missing or wrong. */
    static LogEvent parse(String line) throws IOException {
        JsonNode json = JSON.readTree(line);
        if (json == null || !json.isObject()) {
            throw new IOException("not a JSON object");
        }
        JsonNode ts = json.path("ts");
        long timestamp;
        if (ts.isIntegralNumber()) {
            timestamp = ts.asLong();
        } else if (ts.isTextual()) {
            try {
                timestamp = Instant.parse(ts.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IOException("field 'ts' is not an ISO-8601 instant: " + ts.asText());
            }
        } else {
            throw new IOException("field 'ts' must be epoch milliseconds or an ISO-8601 instant");
        }
        return new LogEvent(timestamp, text(json, "service"), text(json, "level").toUpperCase(Locale.ROOT),
                text(json, "message"));
    }

    String toJson() {
        return JSON.createObjectNode().put("ts", timestamp).put("service", service).put("level", level)
                .put("message", message).toString();
    }

    private static String text(JsonNode json, String field) throws IOException {
        JsonNode value = json.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IOException("field '" + field + "' must be a non-empty string");
        }
        return value.asText();
    }
}
