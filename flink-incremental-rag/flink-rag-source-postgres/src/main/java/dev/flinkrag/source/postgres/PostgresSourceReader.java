package dev.flinkrag.source.postgres;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Emits the changes the fetcher thread reads and keeps the split's position; once a checkpoint completes it lets
 * the slot confirm that checkpoint's position, so PostgreSQL keeps exactly the WAL a restore could need.
 */
final class PostgresSourceReader extends SingleThreadMultiplexSourceReaderBase<
        ReplicationRecord, DocumentChange, ReplicationSplit, PostgresSourceReader.SplitPosition> {

    /** The task thread's copy of the split, moved forward by the positions the fetcher sends along. */
    static final class SplitPosition {
        private ReplicationSplit split;

        SplitPosition(ReplicationSplit split) {
            this.split = split;
        }
    }

    private final AtomicLong positionToConfirm;
    private final NavigableMap<Long, Long> positionsByCheckpoint = new TreeMap<>();

    private PostgresSourceReader(PostgresSourceSettings settings, AtomicLong positionToConfirm,
            SourceReaderContext context) {
        super(() -> new ReplicationSplitReader(settings, positionToConfirm, context.metricGroup()), new Emitter(),
                new Configuration(), context);
        this.positionToConfirm = positionToConfirm;
    }

    static PostgresSourceReader create(PostgresSourceSettings settings, SourceReaderContext context) {
        return new PostgresSourceReader(settings, new AtomicLong(), context);
    }

    @Override
    public List<ReplicationSplit> snapshotState(long checkpointId) {
        List<ReplicationSplit> splits = super.snapshotState(checkpointId);
        for (ReplicationSplit split : splits) {
            if (split.snapshotDone()) {
                positionsByCheckpoint.put(checkpointId, split.resumeLsn());
            }
        }
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Map.Entry<Long, Long> completed = positionsByCheckpoint.floorEntry(checkpointId);
        if (completed != null) {
            positionToConfirm.accumulateAndGet(completed.getValue(), Math::max);
            positionsByCheckpoint.headMap(checkpointId, true).clear();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, SplitPosition> finishedSplitIds) {
        // the replication split never finishes
    }

    @Override
    protected SplitPosition initializedState(ReplicationSplit split) {
        return new SplitPosition(split);
    }

    @Override
    protected ReplicationSplit toSplitType(String splitId, SplitPosition position) {
        return position.split;
    }

    private static final class Emitter implements RecordEmitter<ReplicationRecord, DocumentChange, SplitPosition> {
        @Override
        public void emitRecord(ReplicationRecord record, SourceOutput<DocumentChange> output, SplitPosition position) {
            if (record.change() != null) {
                output.collect(record.change());
            }
            if (record.positionAfter() != null) {
                position.split = record.positionAfter();
            }
        }
    }
}
