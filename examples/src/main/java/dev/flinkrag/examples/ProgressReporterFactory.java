package dev.flinkrag.examples;

import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Properties;

/** Lets Flink create the {@link ProgressReporter} from {@code metrics.reporter.<name>.factory.class}. */
public final class ProgressReporterFactory implements MetricReporterFactory {

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new ProgressReporter();
    }
}
