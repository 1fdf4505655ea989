package dev.flinkrag.source.postgres;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands the one split (a replication slot is a single ordered stream) to the first reader that registers, and
 * again to a reader after a failure returned it. Parallel instances beyond the first stay idle; the pipeline
 * spreads the documents by id right after the source.
 */
final class ReplicationEnumerator implements SplitEnumerator<ReplicationSplit, List<ReplicationSplit>> {

    private final SplitEnumeratorContext<ReplicationSplit> context;
    private final List<ReplicationSplit> pending;

    ReplicationEnumerator(SplitEnumeratorContext<ReplicationSplit> context, List<ReplicationSplit> pending) {
        this.context = context;
        this.pending = new ArrayList<>(pending);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {}

    @Override
    public void addSplitsBack(List<ReplicationSplit> splits, int subtaskId) {
        pending.addAll(splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    private void assignPending() {
        if (pending.isEmpty() || context.registeredReaders().isEmpty()) {
            return;
        }
        int reader = context.registeredReaders().keySet().stream().min(Integer::compare).orElseThrow();
        for (ReplicationSplit split : pending) {
            context.assignSplit(split, reader);
        }
        pending.clear();
    }

    @Override
    public List<ReplicationSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    @Override
    public void close() {}
}
