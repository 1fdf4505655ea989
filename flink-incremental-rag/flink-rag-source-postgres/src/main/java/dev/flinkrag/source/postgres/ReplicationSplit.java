package dev.flinkrag.source.postgres;

import org.apache.flink.api.connector.source.SourceSplit;

import javax.annotation.Nullable;

/**
 * The whole table, read through one replication slot: where the reader stands, as kept in checkpoints.
 *
 * @param slotName the replication slot, also the split id
 * @param resumeLsn where replication resumes: every transaction committed before it has been emitted (after the
 *     snapshot) or is covered by the snapshot; 0 before the slot was looked at
 * @param snapshotDone whether every row of the initial snapshot has been emitted
 * @param snapshotCursor the id (as text) of the last snapshot row emitted, or {@code null} for none yet
 */
record ReplicationSplit(String slotName, long resumeLsn, boolean snapshotDone, @Nullable String snapshotCursor)
        implements SourceSplit {

    static ReplicationSplit unstarted(String slotName) {
        return new ReplicationSplit(slotName, 0, false, null);
    }

    boolean started() {
        return resumeLsn != 0;
    }

    @Override
    public String splitId() {
        return slotName;
    }
}
