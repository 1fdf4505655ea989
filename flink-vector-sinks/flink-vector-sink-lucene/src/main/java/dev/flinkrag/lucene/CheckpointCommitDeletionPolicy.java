package dev.flinkrag.lucene;

import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;

import java.io.IOException;
import java.util.List;

/**
 * Keeps every Lucene commit a Flink restore may still roll back to: the newest one and all commits
 * whose sequence is at or after the last one confirmed by a completed checkpoint.
 */
final class CheckpointCommitDeletionPolicy extends IndexDeletionPolicy {

    static final String COMMIT_SEQUENCE = "flink-rag.commit-sequence";

    private volatile long confirmedSequence;

    void confirm(long sequence) {
        confirmedSequence = Math.max(confirmedSequence, sequence);
    }

    @Override
    public void onInit(List<? extends IndexCommit> commits) throws IOException {
        onCommit(commits);
    }

    @Override
    public void onCommit(List<? extends IndexCommit> commits) throws IOException {
        for (int i = 0; i < commits.size() - 1; i++) {
            if (sequenceOf(commits.get(i)) < confirmedSequence) {
                commits.get(i).delete();
            }
        }
    }

    static long sequenceOf(IndexCommit commit) throws IOException {
        String value = commit.getUserData().get(COMMIT_SEQUENCE);
        return value == null ? 0L : Long.parseLong(value);
    }
}
