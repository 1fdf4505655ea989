package dev.flinkrag.source.postgres;

import dev.flinkrag.document.DocumentChange;

import javax.annotation.Nullable;

/**
 * What the replication reader hands to the task thread: a document change to emit, and/or the split's position
 * once everything up to here is emitted. A change inside a transaction carries no position: a checkpoint
 * between two of its changes resumes at the transaction's start, and the chunker drops what it already applied.
 */
record ReplicationRecord(@Nullable DocumentChange change, @Nullable ReplicationSplit positionAfter) {

    static ReplicationRecord change(DocumentChange change) {
        return new ReplicationRecord(change, null);
    }

    static ReplicationRecord position(ReplicationSplit position) {
        return new ReplicationRecord(null, position);
    }
}
