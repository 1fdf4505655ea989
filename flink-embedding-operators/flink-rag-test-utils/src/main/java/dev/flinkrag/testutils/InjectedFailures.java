package dev.flinkrag.testutils;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes records through slowly and throws when the count of records seen (across restarts) reaches
 * each of the given points, once per point: failovers from the last checkpoint in the middle of a stream.
 */
public final class InjectedFailures<T> implements MapFunction<T, T> {

    public static final AtomicInteger FAILURES = new AtomicInteger();
    private static final AtomicInteger SEEN = new AtomicInteger();

    private final int[] failurePoints;

    public InjectedFailures(int... failurePoints) {
        this.failurePoints = failurePoints;
    }

    public static void reset() {
        FAILURES.set(0);
        SEEN.set(0);
    }

    @Override
    public T map(T value) throws Exception {
        Thread.sleep(2);
        int seen = SEEN.incrementAndGet();
        int failures = FAILURES.get();
        if (failures < failurePoints.length && seen >= failurePoints[failures]
                && FAILURES.compareAndSet(failures, failures + 1)) {
            throw new IllegalStateException("injected failure " + (failures + 1) + " after " + seen + " records");
        }
        return value;
    }
}
