package dev.flinkrag.testing;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes records through slowly and throws once after a number of records, to force a failover from
 * the last checkpoint in the middle of a stream.
 */
public final class FailOnce<T> implements MapFunction<T, T> {

    public static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicInteger SEEN = new AtomicInteger();

    private final int failAfter;

    public FailOnce(int failAfter) {
        this.failAfter = failAfter;
    }

    public static void reset() {
        FAILED.set(false);
        SEEN.set(0);
    }

    @Override
    public T map(T value) throws Exception {
        Thread.sleep(2);
        if (SEEN.incrementAndGet() >= failAfter && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + failAfter + " records");
        }
        return value;
    }
}
