package dev.flinkrag.common;

import dev.failsafe.Failsafe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryOptionsTest {

    private final RetryOptions options = new RetryOptions(3, Duration.ofMillis(100), Duration.ofMillis(350));

    @Test
    void theBackoffDoublesUpToTheMaximumWithinAQuarterEitherWay() {
        for (int i = 0; i < 200; i++) {
            assertThat(options.backoff(1)).isBetween(Duration.ofMillis(75), Duration.ofMillis(125));
            assertThat(options.backoff(2)).isBetween(Duration.ofMillis(150), Duration.ofMillis(250));
            assertThat(options.backoff(3)).isBetween(Duration.ofMillis(262), Duration.ofMillis(438));
            assertThat(options.backoff(30)).isBetween(Duration.ofMillis(262), Duration.ofMillis(438));
        }
    }

    @Test
    void aPolicyRetriesOnlyWhatIsRetryableAndAtMostMaxRetriesTimes() {
        RetryOptions quick = new RetryOptions(2, Duration.ofMillis(1), Duration.ofMillis(2));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Failsafe.with(quick.policy(failure -> failure instanceof IllegalStateException).build())
                .run(() -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("transient");
                })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(3);
        attempts.set(0);
        assertThatThrownBy(() -> Failsafe.with(quick.policy(failure -> failure instanceof IllegalStateException).build())
                .run(() -> {
                    attempts.incrementAndGet();
                    throw new IllegalArgumentException("permanent");
                })).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRequestedDelayIsWaitedInFull() {
        RetryOptions retries = new RetryOptions(1, Duration.ofMillis(1), Duration.ofMillis(2));
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        Failsafe.with(retries.<Void>policy(failure -> true, failure -> Duration.ofMillis(300)).build()).run(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("try again later");
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> new RetryOptions(-1, Duration.ofMillis(1), Duration.ofMillis(1)))
                .hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> new RetryOptions(1, Duration.ZERO, Duration.ofMillis(1)))
                .hasMessageContaining("0 < initial <= max");
    }
}
