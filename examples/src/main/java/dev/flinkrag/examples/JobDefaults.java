package dev.flinkrag.examples;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.HashMap;
import java.util.Map;

/**
 * What every example job runs with. A restart strategy that survives a lost TaskManager: after a {@code kill -9} the
 * JobManager keeps redeploying onto the dead TaskManager's slots until its heartbeat times out, which costs several
 * restart attempts for one crash, so a capped strategy ({@code fixed-delay} with 3 attempts) fails the whole job.
 * Exponential delay without an attempt cap (1 s doubling to 30 s, reset after 5 min without failure) rides it out.
 *
 * <p>Max parallelism is set, not derived: Flink otherwise derives it from the first run's parallelism, and keyed
 * state (the chunker's) splits into that many key groups for good, so it bounds every later rescale from a
 * savepoint. 128 allows rescaling anywhere from 1 to 128.
 */
final class JobDefaults {

    private JobDefaults() {}

    static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("pipeline.max-parallelism", "128");
        settings.put("restart-strategy.type", "exponential-delay");
        settings.put("restart-strategy.exponential-delay.initial-backoff", "1 s");
        settings.put("restart-strategy.exponential-delay.max-backoff", "30 s");
        settings.put("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
        settings.put("restart-strategy.exponential-delay.reset-backoff-threshold", "5 min");
        settings.put("restart-strategy.exponential-delay.jitter-factor", "0.1");
        settings.put("restart-strategy.exponential-delay.attempts-before-reset-backoff",
                Integer.toString(Integer.MAX_VALUE));
        return settings;
    }

    /** The job's environment with these settings and {@code more} (which win). */
    static StreamExecutionEnvironment environment(Map<String, String> more) {
        Map<String, String> settings = settings();
        settings.putAll(more);
        return StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(settings));
    }
}
