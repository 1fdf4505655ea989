package dev.flinkrag.lucene;

import org.apache.flink.api.connector.sink2.Committer;

import java.nio.file.Path;
import java.util.Collection;

/**
 * Runs when a checkpoint completes: the commit made at its barrier is now the restore point, so older
 * commits may be deleted. (The commit itself is already durable; see {@link LuceneSinkWriter}.)
 */
final class LuceneCommitter implements Committer<LuceneCommitPoint> {

    private final LuceneIndex index;

    LuceneCommitter(Path indexPath) {
        this.index = LuceneIndexes.acquire(indexPath);
    }

    @Override
    public void commit(Collection<CommitRequest<LuceneCommitPoint>> requests) {
        for (CommitRequest<LuceneCommitPoint> request : requests) {
            index.confirm(request.getCommittable().sequence());
        }
    }

    @Override
    public void close() {
        LuceneIndexes.releaseQuietly(index);
    }
}
