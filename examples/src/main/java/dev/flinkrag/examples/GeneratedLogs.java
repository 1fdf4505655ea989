package dev.flinkrag.examples;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.util.SplittableRandom;

/**
 * Logs of four services, stamped with the wall clock: mostly INFO with the odd warning and harmless error, until
 * {@code incidentAfterMillis} into the run, when checkout starts failing (payment gateway timeouts, stock
 * reservations failing) while the others stay healthy. Which line comes is a function of its index, so two runs log
 * the same lines.
 */
final class GeneratedLogs implements GeneratorFunction<Long, LogEvent> {

    private static final long serialVersionUID = 1L;

    static final String[] SERVICES = {"checkout", "payments", "search", "inventory"};
    static final String CHECKOUT_FAILURE = "payment gateway timeout after 3000 ms (provider=acme-pay)";
    private static final String[] INFO = {"request served in 42 ms", "cache refreshed", "health check passed",
            "user session started"};
    private static final String[] WARN = {"slow query took 1200 ms", "retrying connection to replica"};
    private static final String[] HARMLESS_ERRORS = {"client closed the connection early"};

    private final long incidentAfterMillis;
    private transient long firstTimestamp;

    GeneratedLogs(long incidentAfterMillis) {
        this.incidentAfterMillis = incidentAfterMillis;
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        firstTimestamp = System.currentTimeMillis();
    }

    @Override
    public LogEvent map(Long index) {
        long now = System.currentTimeMillis();
        return line(index, now, now - firstTimestamp >= incidentAfterMillis);
    }

    /** The {@code index}th line, at {@code timestamp}; {@code incident}: whether checkout is failing by then. */
    static LogEvent line(long index, long timestamp, boolean incident) {
        SplittableRandom random = new SplittableRandom(index);
        String service = SERVICES[(int) (index % SERVICES.length)];
        int roll = random.nextInt(100);
        if (incident && service.equals("checkout")) {
            if (roll < 45) {
                return new LogEvent(timestamp, service, "ERROR", CHECKOUT_FAILURE);
            }
            if (roll < 55) {
                return new LogEvent(timestamp, service, "ERROR", "could not reserve stock for order");
            }
            if (roll < 65) {
                return new LogEvent(timestamp, service, "WARN", "retrying payment authorization");
            }
        }
        if (roll < 2) {
            return new LogEvent(timestamp, service, "ERROR", HARMLESS_ERRORS[random.nextInt(HARMLESS_ERRORS.length)]);
        }
        if (roll < 10) {
            return new LogEvent(timestamp, service, "WARN", WARN[random.nextInt(WARN.length)]);
        }
        return new LogEvent(timestamp, service, "INFO", INFO[random.nextInt(INFO.length)]);
    }
}
