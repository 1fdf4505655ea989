package dev.flinkrag.source.folder;

import dev.flinkrag.common.ProgressLog;
import dev.flinkrag.document.DocumentChange;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the files named by its splits' changes, in the order they were assigned, and emits one
 * {@link DocumentChange} per change. A file that cannot be read becomes a change carrying the reason,
 * which the parsing stage sends to the dead-letter output; a file deleted before it was read is skipped
 * (the next scan reports the delete). Without the modification time in the metadata, the content hash of every
 * file read goes back to the enumerator after each batch, and a file whose bytes have the hash of its last read
 * content is not emitted again.
 */
final class FolderSourceReader implements SourceReader<DocumentChange, FileChangeSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(FolderSourceReader.class);

    static final String PATH = "path";
    static final String FILE_NAME = "file_name";
    static final String CONTENT_TYPE = "content_type";
    static final String MODIFIED_AT = "modified_at";
    static final String SIZE_BYTES = "size_bytes";

    /** Fixed width, so that the text order of two times is their order in time (metadata range filters). */
    private static final DateTimeFormatter MODIFIED_AT_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path root;
    private final long maxFileBytes;
    private final boolean modificationTimeInMetadata;
    private final MessageDigest sha256 = ContentHash.sha256();
    /** Content hashes of the current split's files, for the enumerator. */
    private final List<FileContentReport.ReadFile> readFiles = new ArrayList<>();
    private final ArrayDeque<FileChangeSplit> queue = new ArrayDeque<>();
    /** The split being read and how many of its changes are emitted. */
    private FileChangeSplit current;
    private int emitted;
    private final SourceReaderContext context;
    private final Counter filesRead;
    private final Counter filesUnchanged;
    private final ProgressLog progress;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;
    private boolean asked;

    FolderSourceReader(
            SourceReaderContext context, Path root, long maxFileBytes, boolean modificationTimeInMetadata) {
        this.context = context;
        this.root = root;
        this.maxFileBytes = maxFileBytes;
        this.modificationTimeInMetadata = modificationTimeInMetadata;
        this.filesRead = context.metricGroup().counter("filesRead");
        this.filesUnchanged = context.metricGroup().counter("filesUnchanged");
        this.progress = new ProgressLog(LOG, "folder source " + (context.getIndexOfSubtask() + 1) + "/"
                + context.currentParallelism());
    }

    @Override
    public void start() {
        askForMore();
    }

    /** Asks the enumerator for the next changes once few are left, so reading never waits on the round trip. */
    private void askForMore() {
        if (!asked && !noMoreSplits && pendingChanges() < FolderEnumerator.BATCH / 4) {
            asked = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<DocumentChange> output) {
        if (current == null) {
            current = queue.poll();
            emitted = 0;
        }
        if (current == null) {
            askForMore();
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        DocumentChange change = read(current.changes().get(emitted++));
        if (change != null) {
            output.collect(change);
        }
        progress.maybeLog(() -> "files read " + filesRead.getCount() + ", unchanged " + filesUnchanged.getCount());
        if (emitted == current.changes().size()) {
            // Flink keeps an output for each split it hands over until the reader releases it
            output.releaseOutputForSplit(current.splitId());
            current = null;
            reportReadContent();
        }
        askForMore();
        return current == null && queue.isEmpty() && noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
    }

    private void reportReadContent() {
        if (!readFiles.isEmpty()) {
            context.sendSourceEventToCoordinator(new FileContentReport(List.copyOf(readFiles)));
            readFiles.clear();
        }
    }

    private int pendingChanges() {
        int pending = current == null ? 0 : current.changes().size() - emitted;
        for (FileChangeSplit split : queue) {
            pending += split.changes().size();
        }
        return pending;
    }

    private DocumentChange read(FileChange change) {
        if (change.deleted()) {
            return DocumentChange.delete(change.path(), change.version(), change.detectedAt());
        }
        Path file = new Path(root, change.path());
        String contentType = contentTypeOf(change.path());
        Map<String, String> metadata = new HashMap<>(Map.of(
                PATH, change.path(),
                FILE_NAME, file.getName(),
                CONTENT_TYPE, contentType));
        try {
            FileSystem fileSystem = file.getFileSystem();
            FileStatus status = fileSystem.getFileStatus(file);
            metadata.put(SIZE_BYTES, Long.toString(status.getLen()));
            if (modificationTimeInMetadata) {
                metadata.put(MODIFIED_AT,
                        MODIFIED_AT_FORMAT.format(Instant.ofEpochMilli(status.getModificationTime())));
            }
            if (status.getLen() > maxFileBytes) {
                return overLimit(change, metadata, String.format("file %s is %d bytes, over the limit of %d bytes",
                        file, status.getLen(), maxFileBytes));
            }
            byte[] bytes;
            try (InputStream in = fileSystem.open(file)) {
                // never more than the limit, even if the file grew since it was listed
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
            }
            if (bytes.length > maxFileBytes) {
                return overLimit(change, metadata, String.format(
                        "file %s grew to over the limit of %d bytes while it was read", file, maxFileBytes));
            }
            filesRead.inc();
            if (!modificationTimeInMetadata) {
                // with the time in the metadata every change is news, so only here is a hash worth its state
                ContentHash hash = ContentHash.of(bytes, sha256);
                readFiles.add(new FileContentReport.ReadFile(change.path(), change.version(), hash));
                if (hash.equals(change.lastReadContent())) {
                    filesUnchanged.inc(); // rewritten with the same bytes: its document is what was emitted last time
                    return null;
                }
            }
            return DocumentChange.upsertBytes(change.path(), change.version(), bytes, contentType, metadata,
                    change.detectedAt());
        } catch (FileNotFoundException e) {
            LOG.info("File {} was deleted before it could be read; the next scan reports the delete", file);
            return null;
        } catch (IOException e) {
            String reason = "cannot read file " + file + ": " + e;
            LOG.warn(reason);
            return DocumentChange.unreadable(change.path(), change.version(), reason, metadata, change.detectedAt());
        }
    }

    static String contentTypeOf(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
            return "text/markdown";
        }
        if (lower.endsWith(".txt") || lower.endsWith(".text")) {
            return "text/plain";
        }
        return "application/octet-stream";
    }

    @Override
    public List<FileChangeSplit> snapshotState(long checkpointId) {
        List<FileChangeSplit> unread = new ArrayList<>();
        if (current != null) {
            unread.add(new FileChangeSplit(current.splitId(),
                    List.copyOf(current.changes().subList(emitted, current.changes().size()))));
        }
        unread.addAll(queue);
        return unread;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (current != null || !queue.isEmpty() || noMoreSplits) {
            return CompletableFuture.completedFuture(null);
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    @Override
    public void addSplits(List<FileChangeSplit> splits) {
        asked = false;
        queue.addAll(splits);
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {}

    private static DocumentChange overLimit(FileChange change, Map<String, String> metadata, String reason) {
        LOG.warn("Skipping {}", reason);
        return DocumentChange.unreadable(change.path(), change.version(), reason, metadata, change.detectedAt());
    }
}
