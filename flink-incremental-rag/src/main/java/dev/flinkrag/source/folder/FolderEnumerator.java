package dev.flinkrag.source.folder;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans the folder (on the first call and then every scan interval), turns differences against the
 * previous scan into versioned {@link FileChangeSplit}s and pushes them to readers. All changes of one
 * path go to the same reader, in order, so a document's changes never overtake each other.
 */
final class FolderEnumerator implements SplitEnumerator<FileChangeSplit, FolderScanState> {

    private static final Logger LOG = LoggerFactory.getLogger(FolderEnumerator.class);

    private final SplitEnumeratorContext<FileChangeSplit> context;
    private final FolderScanner scanner;
    @Nullable private final Duration scanInterval;
    private final Map<String, FileStamp> files;
    private final List<FileChangeSplit> unassigned;
    private long nextVersion;
    private boolean scannedOnce;

    FolderEnumerator(
            SplitEnumeratorContext<FileChangeSplit> context,
            FolderScanner scanner,
            @Nullable Duration scanInterval,
            FolderScanState state) {
        this.context = context;
        this.scanner = scanner;
        this.scanInterval = scanInterval;
        this.files = new HashMap<>(state.files());
        this.unassigned = new ArrayList<>(state.unassigned());
        this.nextVersion = state.nextVersion();
    }

    @Override
    public void start() {
        if (scanInterval == null) {
            context.callAsync(scanner::scan, this::applyScan);
        } else {
            context.callAsync(scanner::scan, this::applyScan, 0, scanInterval.toMillis());
        }
    }

    private void applyScan(Map<String, FileStamp> current, Throwable error) {
        if (error != null) {
            throw new IllegalStateException("folder scan failed", error);
        }
        long now = System.currentTimeMillis();
        int changes = 0;
        for (Map.Entry<String, FileStamp> file : current.entrySet()) {
            if (!file.getValue().equals(files.get(file.getKey()))) {
                unassigned.add(new FileChangeSplit(file.getKey(), nextVersion++, false, now));
                changes++;
            }
        }
        for (String path : files.keySet()) {
            if (!current.containsKey(path)) {
                unassigned.add(new FileChangeSplit(path, nextVersion++, true, now));
                changes++;
            }
        }
        files.clear();
        files.putAll(current);
        scannedOnce = true;
        if (changes > 0) {
            LOG.info("Folder scan found {} changed files ({} files in total)", changes, files.size());
        }
        assignPending();
    }

    private void assignPending() {
        int parallelism = context.currentParallelism();
        Map<Integer, List<FileChangeSplit>> assignment = new HashMap<>();
        List<FileChangeSplit> keep = new ArrayList<>();
        for (FileChangeSplit split : unassigned) {
            int reader = Math.floorMod(split.path().hashCode(), parallelism);
            if (context.registeredReaders().containsKey(reader)) {
                assignment.computeIfAbsent(reader, r -> new ArrayList<>()).add(split);
            } else {
                keep.add(split);
            }
        }
        unassigned.clear();
        unassigned.addAll(keep);
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (scanInterval == null && scannedOnce && unassigned.isEmpty()) {
            context.registeredReaders().keySet().forEach(context::signalNoMoreSplits);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // splits are pushed as soon as a scan finds them
    }

    @Override
    public void addSplitsBack(List<FileChangeSplit> splits, int subtaskId) {
        // the reader failed before checkpointing these: hand them out again ahead of newer changes
        unassigned.addAll(0, splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public FolderScanState snapshotState(long checkpointId) {
        return new FolderScanState(new HashMap<>(files), nextVersion, new ArrayList<>(unassigned));
    }

    @Override
    public void close() {}
}
