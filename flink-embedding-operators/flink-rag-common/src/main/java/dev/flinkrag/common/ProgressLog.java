package dev.flinkrag.common;

import org.apache.flink.annotation.Internal;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Periodic progress lines written by an operator itself, to the log of the TaskManager it runs on: where a cluster
 * user looks, with no metric reporter to configure (a session cluster ignores reporters set in a job's
 * configuration). The first call logs; later calls log at most once per interval, and only when the line changed,
 * so an idle operator stays quiet. A call that comes too soon is not lost: its line is logged when the interval is
 * over, so the log ends with the figures a burst of work left. Lines are built from counters only, so building one
 * on the timer's thread is safe. Cheap enough to call per record; safe to call from several threads.
 */
@Internal
public final class ProgressLog {

    /** How often an operator logs its progress at most. */
    public static final Duration INTERVAL = Duration.ofSeconds(30);

    /** One thread for every operator of the JVM, gone after a minute without work (no thread outlives a job long). */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final Consumer<String> out;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final BiConsumer<Runnable, Long> schedule;
    private long lastLoggedAt = Long.MIN_VALUE;
    private String lastLine = "";
    private Supplier<String> pending;

    /** {@code operator} names the line's source, e.g. {@code chunker 1/2}. */
    public ProgressLog(Logger log, String operator) {
        this(line -> log.info("[flink-rag] {}: {}", operator, line), INTERVAL, System::currentTimeMillis,
                (task, delay) -> TIMER.schedule(task, delay, TimeUnit.MILLISECONDS));
    }

    ProgressLog(Consumer<String> out, Duration interval, LongSupplier clock, BiConsumer<Runnable, Long> schedule) {
        this.out = out;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
        this.schedule = schedule;
    }

    /** Logs {@code line} now if the interval has passed, else once it has; only if it differs from the last one. */
    public synchronized void maybeLog(Supplier<String> line) {
        long now = clock.getAsLong();
        if (lastLoggedAt == Long.MIN_VALUE || now - lastLoggedAt >= intervalMillis) {
            pending = null;
            log(line, now);
            return;
        }
        if (pending == null) {
            schedule.accept(this::logPending, lastLoggedAt + intervalMillis - now);
        }
        pending = line;
    }

    private synchronized void logPending() {
        if (pending != null) {
            Supplier<String> line = pending;
            pending = null;
            log(line, clock.getAsLong());
        }
    }

    private void log(Supplier<String> line, long now) {
        String text = line.get();
        if (!text.equals(lastLine)) {
            out.accept(text);
            lastLine = text;
            lastLoggedAt = now;
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "flink-rag-progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
