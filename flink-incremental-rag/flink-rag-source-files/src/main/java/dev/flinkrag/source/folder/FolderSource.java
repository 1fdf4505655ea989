package dev.flinkrag.source.folder;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A source of {@link DocumentChange}s from a folder tree on any Flink file system: added and modified
 * files become upserts, removed files deletes (a rename is both), each with a version that increases
 * with every observed change.
 *
 * <p>Unlike Flink's {@code FileSource}, which only sees new files, it notices modifications and deletes.
 * Its state is the size, modification time and last change of each file (and a content hash without the
 * modification time in the metadata), never the content, so a restore re-emits only files that changed meanwhile.
 * Each document's metadata holds {@code path}, {@code file_name}, {@code content_type}, {@code size_bytes} and
 * {@code modified_at} (UTC, {@code 2026-11-30T10:15:00.000Z}).
 * Bounded (one scan) unless {@link Builder#monitorContinuously} is set.
 */
@PublicEvolving
public final class FolderSource implements Source<DocumentChange, FileChangeSplit, FolderScanState> {

    private static final long serialVersionUID = 1L;

    private final String root;
    @Nullable private final Duration scanInterval;
    private final FileSelection selection;
    private final long maxFileBytes;
    private final boolean modificationTimeInMetadata;

    private FolderSource(String root, @Nullable Duration scanInterval, FileSelection selection, long maxFileBytes,
            boolean modificationTimeInMetadata) {
        this.root = root;
        this.scanInterval = scanInterval;
        this.selection = selection;
        this.maxFileBytes = maxFileBytes;
        this.modificationTimeInMetadata = modificationTimeInMetadata;
    }

    /** A folder on the local disk. */
    public static Builder forFolder(Path folder) {
        return new Builder(folder.toAbsolutePath().normalize().toUri().toString());
    }

    /**
     * A folder on any file system Flink knows: {@code file:///data/docs}, or {@code s3://bucket/docs},
     * {@code hdfs://namenode/docs}, {@code gs://bucket/docs} with Flink's plugin for that file system installed
     * on the cluster ({@code plugins/s3-fs-hadoop}, …; see Flink's file system documentation).
     */
    /**
     * A builder set from the string options of {@link FolderSourceOptions} ({@code path}, {@code
     * source.monitor-interval}, …), as SQL tables and job arguments give them; an unknown key is refused.
     */
    public static Builder fromOptions(Map<String, String> options) {
        return FolderSourceOptions.builder(options);
    }

    public static Builder forPath(String uri) {
        return new Builder(uri);
    }

    @Override
    public Boundedness getBoundedness() {
        return scanInterval == null ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<DocumentChange, FileChangeSplit> createReader(SourceReaderContext context) {
        return new FolderSourceReader(context, new org.apache.flink.core.fs.Path(root), maxFileBytes,
                modificationTimeInMetadata);
    }

    @Override
    public SplitEnumerator<FileChangeSplit, FolderScanState> createEnumerator(
            SplitEnumeratorContext<FileChangeSplit> context) {
        return restoreEnumerator(context, new FolderScanState(new HashMap<>(), 1L, List.of()));
    }

    @Override
    public SplitEnumerator<FileChangeSplit, FolderScanState> restoreEnumerator(
            SplitEnumeratorContext<FileChangeSplit> context, FolderScanState state) {
        org.apache.flink.core.fs.Path folder = new org.apache.flink.core.fs.Path(root);
        String scheme = folder.toUri().getScheme();
        java.nio.file.Path local = scheme == null || scheme.equals("file")
                ? java.nio.file.Path.of(folder.toUri().getPath()) : null;
        return new FolderEnumerator(context, new FolderScanner(folder, selection), scanInterval, state, local);
    }

    @Override
    public SimpleVersionedSerializer<FileChangeSplit> getSplitSerializer() {
        return new FolderSourceSerializers.SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<FolderScanState> getEnumeratorCheckpointSerializer() {
        return new FolderSourceSerializers.StateSerializer();
    }

    /** Builds a {@link FolderSource}. */
    public static final class Builder {
        private final String folder;
        private Duration scanInterval;
        private Set<String> extensions = Set.of("txt", "text", "md", "markdown");
        private long maxFileBytes = 10L * 1024 * 1024;
        private boolean modificationTimeInMetadata = true;
        private List<String> includes = List.of();
        private List<String> excludes = List.of();

        private Builder(String folder) {
            this.folder = folder;
        }

        /**
         * Keep watching, scanning the folder every {@code interval}. A folder on the local disk is also watched
         * through the operating system's file notifications, so a change there starts a scan at once and the
         * interval is only the safety net; other file systems (S3, HDFS, …) are scanned on the interval.
         */
        public Builder monitorContinuously(Duration interval) {
            this.scanInterval = interval;
            return this;
        }

        /** File name extensions to index, without the dot; default txt, text, md, markdown. */
        public Builder extensions(Set<String> names) {
            this.extensions = names.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            return this;
        }

        /**
         * Only paths (relative to the folder, {@code /}-separated) matching one of these globs, e.g. {@code
         * docs/**}; all by default.
         */
        public Builder include(String... globs) {
            this.includes = List.of(globs);
            return this;
        }

        /** No paths matching one of these globs, e.g. {@code **}{@code /drafts/**} or {@code archive/**}. */
        public Builder exclude(String... globs) {
            this.excludes = List.of(globs);
            return this;
        }

        /** Larger files go to the dead-letter output unread; default 10 MiB. */
        public Builder maxFileBytes(long bytes) {
            this.maxFileBytes = bytes;
            return this;
        }

        /**
         * Leaves {@code modified_at} out of the documents' metadata, so that a file rewritten with the same bytes (a
         * {@code git checkout}, a copy, a restore from backup) emits nothing: its reader finds the hash of the content
         * read last time and moves on. With the time in the metadata (the default) such a file becomes a
         * metadata-only update of its chunks (nothing is embedded again).
         */
        public Builder withoutModificationTime() {
            this.modificationTimeInMetadata = false;
            return this;
        }

        public FolderSource build() {
            if (folder == null) {
                throw new IllegalArgumentException("FolderSource.forPath(…) needs a folder");
            }
            if (scanInterval != null && (scanInterval.isZero() || scanInterval.isNegative())) {
                throw new IllegalArgumentException("FolderSource.builder().monitorContinuously(…) must be positive, was "
                        + scanInterval);
            }
            if (maxFileBytes < 1) {
                throw new IllegalArgumentException("FolderSource.builder().maxFileBytes(…) must be at least 1, was "
                        + maxFileBytes);
            }
            return new FolderSource(folder, scanInterval,
                    new FileSelection(extensions, includes, excludes), maxFileBytes, modificationTimeInMetadata);
        }
    }
}
