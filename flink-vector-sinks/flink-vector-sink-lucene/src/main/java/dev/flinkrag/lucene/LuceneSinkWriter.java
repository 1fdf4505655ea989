package dev.flinkrag.lucene;

import dev.flinkrag.sink.BufferedOperationWriter;
import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.sink.VectorStoreWriter;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Applies operations to the Lucene index through the shared {@link BufferedOperationWriter} (on size, on
 * the flush interval and before every checkpoint); applied changes are searchable at once.
 *
 * <p>At each checkpoint barrier the writer makes a Lucene commit tagged with a sequence number and
 * keeps that number in its state. A restore rolls the index back to exactly that commit, so the index
 * never holds changes the restored upstream state does not know about (they would otherwise linger as
 * orphans or be missed), and replaying from there converges to the same index.
 */
final class LuceneSinkWriter<IN>
        implements CommittingSinkWriter<IN, LuceneCommitPoint>, StatefulSinkWriter<IN, LuceneCommitPoint> {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneSinkWriter.class);

    private final LuceneSinkOptions options;
    private final LuceneIndex index;
    private final BufferedOperationWriter<IN> buffered;
    private long committedSequence;

    LuceneSinkWriter(
            WriterInitContext context,
            LuceneSinkOptions options,
            VectorOperationConverter<IN> converter,
            @Nullable LuceneCommitPoint restoredFrom)
            throws IOException {
        if (context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException(String.format(
                    "the Lucene sink into %s runs with parallelism %d, but one index directory takes one writer: "
                            + "use stream.sinkTo(sink).setParallelism(1)",
                    options.indexPath(), context.getTaskInfo().getNumberOfParallelSubtasks()));
        }
        this.options = options;
        this.index = LuceneIndexes.acquire(Path.of(options.indexPath()));
        try {
            if (restoredFrom != null) {
                index.rollbackTo(restoredFrom.sequence());
                committedSequence = restoredFrom.sequence();
            } else if (context.getRestoredCheckpointId().isEmpty()) {
                // a job that starts without state rebuilds the index from its sources: start empty, or entries
                // of documents that no longer exist would stay forever
                committedSequence = index.clearAndCommit();
            }
            if (options.model() != null) {
                index.recordModel(options.model());
            }
        } catch (IOException | RuntimeException e) {
            LuceneIndexes.release(index);
            throw e;
        }
        SinkWriterMetricGroup metrics = context.metricGroup();
        metrics.gauge("indexedEntries", this::countQuietly);
        buffered = new BufferedOperationWriter<>(converter, new IndexWriterOfFlushes(index), options.write(),
                context.getProcessingTimeService(), metrics, "Lucene index " + options.indexPath());
    }

    @Override
    public void write(IN element, Context context) throws IOException {
        buffered.write(element);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        buffered.flush();
    }

    @Override
    public Collection<LuceneCommitPoint> prepareCommit() throws IOException {
        buffered.flush();
        committedSequence = index.commit();
        LOG.debug("Committed Lucene index {} at sequence {}", options.indexPath(), committedSequence);
        return List.of(new LuceneCommitPoint(options.indexPath(), committedSequence));
    }

    @Override
    public List<LuceneCommitPoint> snapshotState(long checkpointId) {
        return List.of(new LuceneCommitPoint(options.indexPath(), committedSequence));
    }

    private int countQuietly() {
        try {
            return index.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        LuceneIndexes.releaseQuietly(index);
    }

    /** Hands each flush to the index with its context, so the index state records it. */
    private record IndexWriterOfFlushes(LuceneIndex index) implements VectorStoreWriter {
        @Override
        public int apply(List<VectorOperation> operations) throws IOException {
            return index.apply(operations);
        }

        @Override
        public int apply(List<VectorOperation> operations, FlushContext flush) throws IOException {
            return index.apply(operations, flush);
        }
    }
}
