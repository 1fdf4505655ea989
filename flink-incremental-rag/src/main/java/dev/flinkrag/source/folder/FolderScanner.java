package dev.flinkrag.source.folder;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Lists the files of a folder tree that the source indexes, with their size and modification time, through
 * Flink's {@link FileSystem}: the local disk, or S3, HDFS, GCS, … through Flink's file system plugins.
 */
final class FolderScanner {

    private static final Logger LOG = LoggerFactory.getLogger(FolderScanner.class);
    private static final int PROGRESS_EVERY_FILES = 10_000;

    private final Path root;
    private final FileSelection selection;

    FolderScanner(Path root, FileSelection selection) {
        this.root = root;
        this.selection = selection;
    }

    Map<String, FileStamp> scan() {
        Map<String, FileStamp> files = new HashMap<>();
        try {
            FileSystem fileSystem = root.getFileSystem();
            Deque<Directory> pending = new ArrayDeque<>();
            pending.push(new Directory(root, ""));
            while (!pending.isEmpty()) {
                Directory directory = pending.pop();
                for (FileStatus entry : list(fileSystem, directory.path)) {
                    String name = entry.getPath().getName();
                    String relative = directory.relative.isEmpty() ? name : directory.relative + "/" + name;
                    if (entry.isDir()) {
                        if (!isLocalSymbolicLink(entry.getPath())) {
                            pending.push(new Directory(entry.getPath(), relative));
                        }
                    } else if (selection.selects(relative)) {
                        files.put(relative, new FileStamp(entry.getLen(), entry.getModificationTime()));
                        if (files.size() % PROGRESS_EVERY_FILES == 0) {
                            LOG.info("Scanning {}: {} files so far", root, files.size());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("scanning folder " + root + " failed", e);
        }
        return files;
    }

    /** The directory's entries; none if it was deleted during the walk (the next scan settles it). */
    private static FileStatus[] list(FileSystem fileSystem, Path directory) throws IOException {
        try {
            FileStatus[] entries = fileSystem.listStatus(directory);
            return entries == null ? new FileStatus[0] : entries;
        } catch (FileNotFoundException deletedMeanwhile) {
            return new FileStatus[0];
        }
    }

    /**
     * Linked directories on the local disk are not followed (as {@code java.nio}'s walk does not): a link to a
     * parent would list every file again under ever longer names. Other file systems have no links.
     */
    private static boolean isLocalSymbolicLink(Path path) {
        return "file".equals(path.toUri().getScheme()) && Files.isSymbolicLink(java.nio.file.Path.of(path.toUri()));
    }

    private record Directory(Path path, String relative) {}
}
