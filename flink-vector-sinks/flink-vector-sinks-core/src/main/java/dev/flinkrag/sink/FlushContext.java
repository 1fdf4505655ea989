package dev.flinkrag.sink;

import org.apache.flink.annotation.Experimental;

/**
 * What a store that keeps an {@link IndexState} records with one flush.
 *
 * @param appliedAtMillis when the flush is applied (epoch ms)
 * @param oldestSourceMillis source time of its oldest change (epoch ms, 0 if unknown)
 * @param newestSourceMillis source time of its newest change (epoch ms, 0 if unknown)
 */
@Experimental
public record FlushContext(long appliedAtMillis, long oldestSourceMillis, long newestSourceMillis) {

    /** From the oldest change's source time to the flush, or 0 if unknown. */
    public long lagMillis() {
        return oldestSourceMillis > 0 ? Math.max(0, appliedAtMillis - oldestSourceMillis) : 0;
    }
}
