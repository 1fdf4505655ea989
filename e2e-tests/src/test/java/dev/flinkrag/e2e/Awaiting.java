package dev.flinkrag.e2e;

import java.io.IOException;
import java.time.Duration;

/** Waits for a condition on processes that start slowly: an IOException (a server not up yet) counts as not yet. */
final class Awaiting {

    /** What is awaited; may throw while the process it asks is still starting. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Awaiting() {}

    static void await(Condition condition, String what, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException notUpYet) {
                // the servers start a few seconds after their JVMs
            }
            Thread.sleep(250);
        }
        throw new AssertionError("waited " + patience + " for " + what);
    }
}
