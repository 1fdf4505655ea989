package dev.flinkrag.examples;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples' restart strategy, read back through Flink's own options: exponential delay, no attempt cap. */
class JobDefaultsTest {

    @Test
    void restartsWithExponentialDelayWithoutAnAttemptCap() {
        Configuration settings = Configuration.fromMap(JobDefaults.settings());
        assertThat(settings.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(settings.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(settings.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void fixesMaxParallelismSoARescaleFromASavepointIsNotBoundedByTheFirstRun() {
        assertThat(Configuration.fromMap(JobDefaults.settings()).get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
        assertThat(JobDefaults.environment(java.util.Map.of()).getMaxParallelism()).isEqualTo(128);
    }
}
