package dev.flinkrag.sink.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

/** A vector store as an upsert table sink: inserts, updates (after-images) and deletes by primary key. */
@Internal
public final class VectorDynamicTableSink implements DynamicTableSink {

    private final Sink<RowData> sink;
    @Nullable private final Integer parallelism;
    private final String summary;

    public VectorDynamicTableSink(Sink<RowData> sink, @Nullable Integer parallelism, String summary) {
        this.sink = sink;
        this.parallelism = parallelism;
        this.summary = summary;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.upsert();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return SinkV2Provider.of(sink, parallelism);
    }

    @Override
    public DynamicTableSink copy() {
        return new VectorDynamicTableSink(sink, parallelism, summary);
    }

    @Override
    public String asSummaryString() {
        return summary;
    }
}
