package dev.flinkrag.testing;

import org.apache.flink.api.common.operators.ProcessingTimeService;

import java.util.concurrent.ScheduledFuture;

/** A processing time service whose timers never fire, for driving a writer by hand: flushes are explicit. */
public final class NoTimers implements ProcessingTimeService {

    @Override
    public long getCurrentProcessingTime() {
        return System.currentTimeMillis();
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
        return null;
    }
}
