package dev.flinkrag.testutils;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Polls until a value equals what is expected, then asserts it (so a timeout shows the difference). */
public final class Await {

    private Await() {}

    public static <T> void equal(Callable<T> actual, Callable<T> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (expected.call().equals(actual.call())) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(actual.call()).isEqualTo(expected.call());
    }
}
