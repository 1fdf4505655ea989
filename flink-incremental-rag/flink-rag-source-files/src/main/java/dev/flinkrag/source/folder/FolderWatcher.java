package dev.flinkrag.source.folder;

import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Tells, through the operating system's file notifications ({@link WatchService}: inotify on Linux), that something
 * below a local folder changed, so the enumerator scans at once instead of at its next interval. It only triggers
 * scans; what changed is still found by the scan, so a lost or coalesced notification costs nothing but time, and
 * the periodic scan stays the safety net (and the only way on S3, HDFS and other file systems).
 */
final class FolderWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

    private final WatchService watchService;
    private final Runnable onChange;
    private final Thread thread;

    private FolderWatcher(WatchService watchService, Runnable onChange) {
        this.watchService = watchService;
        this.onChange = onChange;
        this.thread = new ExecutorThreadFactory("flink-rag-folder-watcher").newThread(this::run);
    }

    /** A watcher of {@code root} and every directory below it, or {@code null} if the file system cannot notify. */
    @Nullable
    static FolderWatcher start(Path root, Runnable onChange) {
        WatchService watchService = null;
        try {
            watchService = FileSystems.getDefault().newWatchService();
            FolderWatcher watcher = new FolderWatcher(watchService, onChange);
            watcher.registerTree(root);
            watcher.thread.start();
            return watcher;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Cannot watch {} for changes ({}); changes are found by the periodic scan only", root, e.toString());
            if (watchService != null) {
                try {
                    watchService.close();
                } catch (IOException ignored) {
                    // nothing was watched
                }
            }
            return null;
        }
    }

    private void registerTree(Path directory) throws IOException {
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile, or not readable: the scan reports what it finds
            }
        });
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    // a new directory: watch it too, with what was created in it before it was watched
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && key.watchable() instanceof Path parent) {
                        Path created = parent.resolve((Path) event.context());
                        if (Files.isDirectory(created)) {
                            registerQuietly(created);
                        }
                    }
                }
                key.reset();
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed with the enumerator
        }
    }

    private void registerQuietly(Path directory) {
        try {
            registerTree(directory);
        } catch (IOException e) {
            LOG.warn("Cannot watch new directory {} ({}); its changes are found by the periodic scan", directory,
                    e.toString());
        }
    }

    @Override
    public void close() {
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("Closing the folder watcher failed", e);
        }
        thread.interrupt();
    }
}
