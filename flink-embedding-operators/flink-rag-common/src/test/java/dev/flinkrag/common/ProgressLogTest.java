package dev.flinkrag.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLogTest {

    private final List<String> logged = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final ProgressLog progress = new ProgressLog(logged::add, Duration.ofSeconds(30), now::get,
            (task, delay) -> {
                timers.add(task);
                delays.add(delay);
            });

    @Test
    void logsAtOnceThenAtMostOncePerIntervalAndTheLastFiguresOfABurstWhenItIsOver() {
        AtomicInteger built = new AtomicInteger();
        progress.maybeLog(() -> "files read 1");
        for (int read = 2; read <= 25; read++) {
            int files = read;
            now.addAndGet(100);
            progress.maybeLog(() -> {
                built.incrementAndGet();
                return "files read " + files;
            });
        }
        assertThat(logged).containsExactly("files read 1");
        assertThat(built).as("lines are not built before they are due").hasValue(0);
        assertThat(delays).as("one timer for the burst, due when the interval is over").containsExactly(29_900L);

        now.set(31_000);
        timers.get(0).run();
        assertThat(logged).containsExactly("files read 1", "files read 25");
        assertThat(built).hasValue(1);
    }

    @Test
    void anIdleOperatorStaysQuiet() {
        progress.maybeLog(() -> "files read 3");
        now.addAndGet(60_000);
        progress.maybeLog(() -> "files read 3");
        now.addAndGet(60_000);
        progress.maybeLog(() -> "files read 3");
        assertThat(logged).containsExactly("files read 3");
        assertThat(timers).isEmpty();
    }
}
