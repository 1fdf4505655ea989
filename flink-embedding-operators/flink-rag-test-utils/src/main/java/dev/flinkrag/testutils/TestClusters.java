package dev.flinkrag.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.time.Duration;

/** The MiniCluster and job environment the integration tests share. */
public final class TestClusters {

    private TestClusters() {}

    /** One task manager with four slots: enough for parallelism 4. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(4)
                .build());
    }

    /** An environment that fails on any record type Flink would hand to Kryo. */
    public static StreamExecutionEnvironment environment(Configuration configuration, int parallelism) {
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * An environment for failover tests: a failed job restarts up to 5 times, 10 ms apart, from checkpoints
     * taken every 50 ms.
     */
    public static StreamExecutionEnvironment restarting(int parallelism) {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
        StreamExecutionEnvironment env = environment(configuration, parallelism);
        env.enableCheckpointing(50);
        return env;
    }
}
