package dev.flinkrag.source.folder;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scans the folder (on the first call, then every scan interval and, for a local folder, whenever the operating
 * system reports a change below it: {@link FolderWatcher}), turns differences against the
 * previous scan into versioned {@link FileChange}s and hands them to readers as they ask, at most {@link #BATCH}
 * in one {@link FileChangeSplit}, so that neither an RPC message nor a reader's queue grows with the folder (a
 * first scan of 100,000 files would otherwise go out as one message). All changes of one path go to the same
 * reader, in order, so a document's changes never overtake each other.
 *
 * <p>Readers report the content hash of each file they read; the enumerator keeps it for the file's newest change
 * only and hands it out with the next change of that file, so a reader can recognise a rewrite of the same bytes.
 * A report counts only if it is for the newest change: an older read may not be what the newest change will find.
 */
final class FolderEnumerator implements SplitEnumerator<FileChangeSplit, FolderScanState> {

    private static final Logger LOG = LoggerFactory.getLogger(FolderEnumerator.class);
    static final int BATCH = 500;

    private final SplitEnumeratorContext<FileChangeSplit> context;
    private final FolderScanner scanner;
    @Nullable private final Duration scanInterval;
    private final Map<String, TrackedFile> files;
    /** Changes not yet handed out, per reader, in the order they were found. */
    private final Map<Integer, ArrayDeque<FileChange>> unassigned = new HashMap<>();
    /** Readers that asked for changes and got none yet. */
    private final Set<Integer> waiting = new HashSet<>();
    private long nextVersion;
    private boolean scannedOnce;
    private volatile long lastScanMillis;
    private volatile int lastScanChanges;
    private final Counter scans;
    /** Set when a scan is asked for and cleared when it starts, so a burst of notifications costs one scan. */
    private final AtomicBoolean scanQueued = new AtomicBoolean();
    /** Scans run one at a time, and a result older than one already applied is dropped. */
    private final AtomicLong scansStarted = new AtomicLong();
    private long lastScanApplied;
    @Nullable private final java.nio.file.Path localRoot;
    @Nullable private FolderWatcher watcher;

    FolderEnumerator(
            SplitEnumeratorContext<FileChangeSplit> context,
            FolderScanner scanner,
            @Nullable Duration scanInterval,
            FolderScanState state) {
        this(context, scanner, scanInterval, state, null);
    }

    /** @param localRoot the folder on the local disk, to watch for changes; {@code null} for other file systems */
    FolderEnumerator(
            SplitEnumeratorContext<FileChangeSplit> context,
            FolderScanner scanner,
            @Nullable Duration scanInterval,
            FolderScanState state,
            @Nullable java.nio.file.Path localRoot) {
        this.localRoot = localRoot;
        this.context = context;
        this.scanner = scanner;
        this.scanInterval = scanInterval;
        this.files = new HashMap<>(state.files());
        this.nextVersion = state.nextVersion();
        state.unassigned().forEach(this::enqueue);
        SplitEnumeratorMetricGroup metrics = context.metricGroup();
        metrics.gauge("trackedFiles", () -> files.size());
        metrics.gauge("pendingChanges", this::pendingChanges);
        metrics.gauge("lastScanMillis", () -> lastScanMillis);
        metrics.gauge("lastScanChanges", () -> lastScanChanges);
        scans = metrics.counter("scans");
    }

    @Override
    public void start() {
        if (scanInterval == null) {
            context.callAsync(this::timedScan, this::applyScan);
            return;
        }
        context.callAsync(this::timedScan, this::applyScan, 0, scanInterval.toMillis());
        if (localRoot != null) {
            watcher = FolderWatcher.start(localRoot, this::scanSoon);
        }
    }

    /** From the watcher's thread: a scan now, unless one is already waiting to start. */
    private void scanSoon() {
        if (scanQueued.compareAndSet(false, true)) {
            context.callAsync(this::timedScan, this::applyScan);
        }
    }

    private synchronized Scan timedScan() {
        scanQueued.set(false);
        long sequence = scansStarted.incrementAndGet();
        long start = System.nanoTime();
        Map<String, FileStamp> current = scanner.scan();
        lastScanMillis = (System.nanoTime() - start) / 1_000_000;
        return new Scan(sequence, current);
    }

    /** One scan's result; {@code sequence} orders scans by their start. */
    private record Scan(long sequence, Map<String, FileStamp> files) {}

    private void applyScan(Scan scan, Throwable error) {
        if (error != null) {
            throw new IllegalStateException("folder scan failed", error);
        }
        if (scan.sequence() <= lastScanApplied) {
            return; // a newer scan was applied already
        }
        lastScanApplied = scan.sequence();
        Map<String, FileStamp> current = scan.files();
        long now = System.currentTimeMillis();
        int changes = 0;
        for (Map.Entry<String, FileStamp> file : current.entrySet()) {
            String path = file.getKey();
            FileStamp stamp = file.getValue();
            TrackedFile before = files.get(path);
            if (before == null || !before.sameStamp(stamp)) {
                long version = nextVersion++;
                enqueue(new FileChange(path, version, false, now, before == null ? null : before.contentHash()));
                files.put(path, new TrackedFile(stamp.size(), stamp.modifiedMillis(), version, null));
                changes++;
            }
        }
        for (Iterator<String> paths = files.keySet().iterator(); paths.hasNext(); ) {
            String path = paths.next();
            if (!current.containsKey(path)) {
                enqueue(new FileChange(path, nextVersion++, true, now));
                paths.remove();
                changes++;
            }
        }
        scannedOnce = true;
        lastScanChanges = changes;
        scans.inc();
        if (changes > 0) {
            LOG.info("Folder scan found {} changed files ({} files in total, scanned in {} ms)", changes, files.size(),
                    lastScanMillis);
        }
        assignPending();
    }

    private void enqueue(FileChange change) {
        int reader = Math.floorMod(change.path().hashCode(), context.currentParallelism());
        unassigned.computeIfAbsent(reader, r -> new ArrayDeque<>()).add(change);
    }

    private int pendingChanges() {
        return unassigned.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    private void assignPending() {
        Map<Integer, List<FileChangeSplit>> assignment = new HashMap<>();
        for (int reader : new ArrayList<>(waiting)) {
            ArrayDeque<FileChange> queue = unassigned.get(reader);
            if (queue == null || queue.isEmpty() || !context.registeredReaders().containsKey(reader)) {
                continue;
            }
            List<FileChange> batch = new ArrayList<>();
            while (!queue.isEmpty() && batch.size() < BATCH) {
                batch.add(queue.poll());
            }
            assignment.put(reader, List.of(FileChangeSplit.of(batch)));
            waiting.remove(reader);
        }
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (scanInterval == null && scannedOnce && pendingChanges() == 0) {
            context.registeredReaders().keySet().forEach(context::signalNoMoreSplits);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        waiting.add(subtaskId);
        assignPending();
    }

    @Override
    public void addSplitsBack(List<FileChangeSplit> splits, int subtaskId) {
        // the reader failed before checkpointing these: hand them out again ahead of newer changes
        List<FileChange> returned = new ArrayList<>();
        splits.forEach(split -> returned.addAll(split.changes()));
        ArrayDeque<FileChange> queue = unassigned.computeIfAbsent(subtaskId, r -> new ArrayDeque<>());
        for (int i = returned.size() - 1; i >= 0; i--) {
            queue.addFirst(returned.get(i));
        }
        waiting.remove(subtaskId); // it asks again when it is back
        assignPending();
    }

    /** Remembers what a reader found, unless a newer change of that file was handed out meanwhile. */
    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof FileContentReport report) {
            for (FileContentReport.ReadFile read : report.files()) {
                TrackedFile file = files.get(read.path());
                if (file != null && file.lastChange() == read.version()) {
                    files.put(read.path(), new TrackedFile(file.size(), file.modifiedMillis(), file.lastChange(),
                            read.contentHash()));
                }
            }
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public FolderScanState snapshotState(long checkpointId) {
        List<FileChange> pending = new ArrayList<>();
        unassigned.values().forEach(pending::addAll);
        return new FolderScanState(new HashMap<>(files), nextVersion, pending);
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
