package dev.flinkrag.lucene;

import dev.flinkrag.testing.NoTimers;

import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.UserCodeClassLoader;

import java.util.OptionalLong;

/** A writer context for driving a sink writer by hand: timers never fire, flushes are explicit. */
final class TestWriterContext implements WriterInitContext {

    private final int parallelism;
    private final OptionalLong restoredCheckpoint;

    TestWriterContext(int parallelism, OptionalLong restoredCheckpoint) {
        this.parallelism = parallelism;
        this.restoredCheckpoint = restoredCheckpoint;
    }

    static TestWriterContext fresh() {
        return new TestWriterContext(1, OptionalLong.empty());
    }

    static TestWriterContext restored(long checkpointId) {
        return new TestWriterContext(1, OptionalLong.of(checkpointId));
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxExecutor getMailboxExecutor() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ProcessingTimeService getProcessingTimeService() {
        return new NoTimers();
    }

    @Override
    public SinkWriterMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSinkWriterMetricGroup();
    }

    @Override
    public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isObjectReuseEnabled() {
        return false;
    }

    @Override
    public <IN> TypeSerializer<IN> createInputSerializer() {
        throw new UnsupportedOperationException();
    }

    @Override
    public OptionalLong getRestoredCheckpointId() {
        return restoredCheckpoint;
    }

    @Override
    public JobInfo getJobInfo() {
        return new JobInfoImpl(new JobID(), "test job");
    }

    @Override
    public TaskInfo getTaskInfo() {
        return new TaskInfoImpl("lucene sink", parallelism, 0, parallelism, 0);
    }
}
