package dev.flinkrag.embedding;

import dev.failsafe.RateLimiter;

import javax.annotation.Nullable;

import java.time.Duration;

/**
 * Holds model calls to a request and a token rate, for paid APIs with per-minute quotas. Each parallel
 * instance takes an even share of the operator's limits (instances cannot coordinate across TaskManagers
 * without another service), and permits are spread evenly over the minute rather than spent in a burst.
 */
final class CallPacer {

    @Nullable private final RateLimiter<Object> requests;
    @Nullable private final RateLimiter<Object> tokens;

    private CallPacer(@Nullable RateLimiter<Object> requests, @Nullable RateLimiter<Object> tokens) {
        this.requests = requests;
        this.tokens = tokens;
    }

    static CallPacer create(EmbeddingOptions options, int parallelism) {
        return new CallPacer(
                perMinute(options.maxRequestsPerMinute(), parallelism),
                perMinute(options.maxTokensPerMinute(), parallelism));
    }

    @Nullable
    private static RateLimiter<Object> perMinute(long limit, int parallelism) {
        return limit == 0 ? null
                : RateLimiter.smoothBuilder(Math.max(1, limit / parallelism), Duration.ofMinutes(1)).build();
    }

    /** Blocks until one more call with {@code tokenCount} tokens fits into both rates. */
    void awaitPermission(int tokenCount) throws InterruptedException {
        if (requests != null) {
            requests.acquirePermit();
        }
        if (tokens != null && tokenCount > 0) {
            tokens.acquirePermits(tokenCount);
        }
    }
}
