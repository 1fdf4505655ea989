package dev.flinkrag.common;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How a call that failed transiently is retried, the same way wherever this library retries (model calls, store
 * flushes): at most {@code maxRetries} further attempts, the delay starting at {@code initialBackoff} and doubling up
 * to {@code maxBackoff}, with 25 % jitter; when the retries run out the job fails over. Each integration declares the
 * three options under its own prefix with {@link #maxRetriesOption}, {@link #initialBackoffOption} and
 * {@link #maxBackoffOption}.
 */
@PublicEvolving
public record RetryOptions(int maxRetries, Duration initialBackoff, Duration maxBackoff) implements Serializable {

    public RetryOptions {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be at least 0, was " + maxRetries);
        }
        if (initialBackoff == null || maxBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry backoff must satisfy 0 < initial <= max, was " + initialBackoff
                    + ".." + maxBackoff);
        }
    }

    public static ConfigOption<Integer> maxRetriesOption(String prefix, int defaultValue) {
        return ConfigOptions.key(prefix + ".retries.max")
                .intType()
                .defaultValue(defaultValue)
                .withDescription("Further attempts of a call that failed transiently; when they run out the job "
                        + "fails over, so nothing is lost.");
    }

    public static ConfigOption<Duration> initialBackoffOption(String prefix, Duration defaultValue) {
        return ConfigOptions.key(prefix + ".retries.initial-backoff")
                .durationType()
                .defaultValue(defaultValue)
                .withDescription("First retry delay; it doubles per attempt, with 25 % jitter.");
    }

    public static ConfigOption<Duration> maxBackoffOption(String prefix, Duration defaultValue) {
        return ConfigOptions.key(prefix + ".retries.max-backoff")
                .durationType()
                .defaultValue(defaultValue)
                .withDescription("Longest retry delay the backoff grows to.");
    }

    /** A Failsafe policy with these attempts and delays for failures {@code retryable} accepts; add listeners to it. */
    public <R> RetryPolicyBuilder<R> policy(Predicate<Throwable> retryable) {
        return policy(retryable, failure -> null);
    }

    /**
     * As {@link #policy(Predicate)}, but a failure for which {@code requestedDelay} returns a delay (a server's
     * {@code Retry-After}) waits exactly that long: Failsafe's own jitter would shorten it, so the backoff and its
     * jitter are computed here.
     */
    public <R> RetryPolicyBuilder<R> policy(Predicate<Throwable> retryable, Function<Throwable, Duration> requestedDelay) {
        return RetryPolicy.<R>builder()
                .handleIf(retryable::test)
                .withMaxRetries(maxRetries)
                .withDelayFn(context -> {
                    Duration requested = requestedDelay.apply(context.getLastException());
                    return requested != null ? requested : backoff(context.getAttemptCount());
                });
    }

    /** The delay before retry {@code attempt} (1 for the first): doubling from the initial backoff, ±25 %. */
    Duration backoff(int attempt) {
        double doubled = initialBackoff.toNanos() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(doubled, maxBackoff.toNanos());
        return Duration.ofNanos((long) (capped * (0.75 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }
}
