package dev.flinkrag.sink;

import dev.flinkrag.common.ProgressLog;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;

import org.apache.flink.annotation.Experimental;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * The writer core every vector sink shares: buffers operations, collapses them per id (the last one wins;
 * a delete followed by an insert leaves the row), and hands them to a {@link VectorStoreWriter} when the
 * buffer is full, when no change arrived for the linger time, at the latest a flush interval after the oldest
 * buffered change, and whenever the sink is asked to flush (before every checkpoint),
 * retrying transient store failures with exponential backoff. Since a flush holds at most one operation
 * per id and flushes run one after another, an older operation is never applied after a newer one.
 *
 * <p>Metrics, on the sink writer's group: Flink's standard numRecordsSend (operations applied to the store),
 * operationsApplied, entriesWritten (upserts and metadata updates), entriesDeleted, documentsWritten (document
 * retains), flushes, flushMillis (histogram), retries, metadataUpdatesWithoutEntry, indexLagMillis (source time of
 * the oldest change of the last flush to its application).
 */
@Experimental
public final class BufferedOperationWriter<IN> {

    private static final Logger LOG = LoggerFactory.getLogger(BufferedOperationWriter.class);

    private final VectorOperationConverter<IN> converter;
    private final VectorStoreWriter store;
    private final BufferedWriteOptions options;
    private final ProcessingTimeService timeService;
    private final String storeName;
    private final ProgressLog progress;
    private final OperationBuffer buffer = new OperationBuffer();
    private final RetryPolicy<Object> retryPolicy;
    private final Counter operationsApplied;
    private final Counter entriesWritten;
    private final Counter entriesDeleted;
    private final Counter documentsWritten;
    private final Counter flushes;
    private final Counter retries;
    private final Counter metadataUpdatesWithoutEntry;
    private final Counter numRecordsSend;
    private final Histogram flushMillis;
    private volatile long lastFlushLagMillis;
    /** Processing times of the oldest and the newest buffered change, and whether a timer will look at them. */
    private long firstBufferedAt;
    private long lastBufferedAt;
    private boolean timerPending;

    public BufferedOperationWriter(VectorOperationConverter<IN> converter, VectorStoreWriter store,
            BufferedWriteOptions options, ProcessingTimeService timeService, SinkWriterMetricGroup metrics,
            String storeName) {
        this.converter = converter;
        this.store = store;
        this.options = options;
        this.timeService = timeService;
        this.storeName = storeName;
        operationsApplied = metrics.counter("operationsApplied");
        entriesWritten = metrics.counter("entriesWritten");
        entriesDeleted = metrics.counter("entriesDeleted");
        documentsWritten = metrics.counter("documentsWritten");
        flushes = metrics.counter("flushes");
        retries = metrics.counter("retries");
        metadataUpdatesWithoutEntry = metrics.counter("metadataUpdatesWithoutEntry");
        numRecordsSend = metrics.getNumRecordsSendCounter();
        flushMillis = metrics.histogram("flushMillis", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("indexLagMillis", () -> lastFlushLagMillis);
        progress = new ProgressLog(LOG, "sink " + storeName);
        retryPolicy = options.retries().policy(store::isTransient)
                .onRetry(event -> {
                    retries.inc();
                    LOG.warn("Flush into {} failed ({}), attempt {} of {}", storeName,
                            event.getLastException().toString(), event.getAttemptCount() + 1, options.retries().maxRetries() + 1);
                })
                .build();
    }

    public void write(IN record) throws IOException {
        long now = timeService.getCurrentProcessingTime();
        if (buffer.isEmpty()) {
            firstBufferedAt = now;
        }
        lastBufferedAt = now;
        buffer.add(converter.convert(record));
        if (buffer.size() >= options.maxBufferedOperations()) {
            flush();
        } else if (!buffer.isEmpty() && !timerPending) {
            timerPending = true;
            timeService.registerTimer(flushDue(), this::onTimer);
        }
    }

    /** When the buffer is due: the linger after its newest change, at the latest the interval after its oldest. */
    private long flushDue() {
        long latest = firstBufferedAt + options.flushInterval().toMillis();
        long linger = options.linger().toMillis();
        return linger == 0 ? latest : Math.min(latest, lastBufferedAt + linger);
    }

    private void onTimer(long time) throws IOException {
        timerPending = false;
        if (buffer.isEmpty()) {
            return; // flushed already (full buffer or checkpoint)
        }
        long due = flushDue();
        if (time >= due) {
            flush();
        } else {
            timerPending = true;
            timeService.registerTimer(due, this::onTimer);
        }
    }

    /** Applies everything buffered; returns once the store has it (or throws, and the job fails over). */
    public void flush() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        long oldest = buffer.oldestSourceTimestamp();
        long newest = buffer.newestSourceTimestamp();
        List<VectorOperation> operations = buffer.drain();
        long started = System.nanoTime();
        int skipped;
        try {
            skipped = Failsafe.with(retryPolicy).get(() -> store.apply(operations,
                    new FlushContext(System.currentTimeMillis(), oldest, newest)));
        } catch (FailsafeException wrapped) {
            throw refusalOrFailure(operations, wrapped.getCause());
        } catch (RuntimeException e) {
            throw refusalOrFailure(operations, e);
        }
        flushMillis.update((System.nanoTime() - started) / 1_000_000);
        metadataUpdatesWithoutEntry.inc(skipped);
        operationsApplied.inc(operations.size());
        for (VectorOperation operation : operations) {
            switch (operation.kind()) {
                case UPSERT, UPDATE_METADATA -> entriesWritten.inc();
                case DELETE -> entriesDeleted.inc();
                case RETAIN_ONLY -> documentsWritten.inc();
            }
        }
        numRecordsSend.inc(operations.size());
        flushes.inc();
        if (oldest > 0) {
            lastFlushLagMillis = System.currentTimeMillis() - oldest;
        }
        progress.maybeLog(() -> "entries written " + entriesWritten.getCount() + ", deleted " + entriesDeleted.getCount()
                + ", documents " + documentsWritten.getCount() + " in " + flushes.getCount() + " flushes ("
                + retries.getCount() + " retried), lag " + lastFlushLagMillis + " ms");
    }

    /**
     * What to fail the job with. A failure that is not transient may be the store refusing one record, which would
     * fail the job again after every restart: the flush is then applied one operation at a time, in order (a replay
     * applies them again), and if some are refused while others are taken, the first refused one is named, so the
     * log says which record it is. If every one fails, the store is at fault and the flush's failure is reported.
     */
    private IOException refusalOrFailure(List<VectorOperation> operations, Throwable failure) {
        if (operations.size() > 1 && !store.isTransient(failure)) {
            VectorOperation refused = null;
            Exception refusal = null;
            int taken = 0;
            for (VectorOperation operation : operations) {
                try {
                    store.apply(List.of(operation));
                    taken++;
                } catch (Exception e) {
                    if (refused == null) {
                        refused = operation;
                        refusal = e;
                    }
                }
            }
            if (refused != null && taken > 0) {
                LOG.error("{} refuses {} of {} operations of one flush; the first is {}", storeName,
                        operations.size() - taken, operations.size(), describe(refused));
                return new IOException(storeName + " refused " + describe(refused) + ": " + refusal, refusal);
            }
        }
        return new IOException("flush of " + operations.size() + " operations into " + storeName + " failed", failure);
    }

    private static String describe(VectorOperation operation) {
        String metadata = operation.metadata() == null ? "" : operation.metadata().toString();
        return operation.kind() + " of id " + operation.id()
                + (metadata.isEmpty() ? "" : " (metadata " + (metadata.length() <= 300 ? metadata
                        : metadata.substring(0, 300) + "…") + ")");
    }
}
