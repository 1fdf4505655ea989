package dev.flinkrag.lucene;

import org.apache.flink.annotation.Internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The open {@link LuceneIndex}es of this JVM, shared by path and reference-counted: Lucene allows one
 * writer per directory, and searches in the same process must see the sink's writes before they are
 * committed.
 */
@Internal
public final class LuceneIndexes {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneIndexes.class);

    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private LuceneIndexes() {}

    /** Opens (or joins) the index at {@code path}, creating the directory if needed. Pair with {@link #release}. */
    public static synchronized LuceneIndex acquire(Path path) {
        Path key = path.toAbsolutePath().normalize();
        Shared shared = OPEN.get(key);
        if (shared == null) {
            try {
                Files.createDirectories(key);
                shared = new Shared(new LuceneIndex(key, false));
            } catch (IOException e) {
                throw LuceneIndex.unchecked("opening", key, e);
            }
            OPEN.put(key, shared);
        }
        shared.references++;
        return shared.index;
    }

    /**
     * Opens the index at {@code path} for searching only, without taking the write lock: it works while
     * another process (a running job) writes the index, and sees that writer's last commit. Close it when
     * done; it is not shared.
     */
    public static LuceneIndex openReadOnly(Path path) {
        try {
            return new LuceneIndex(path.toAbsolutePath().normalize(), true);
        } catch (IOException e) {
            throw LuceneIndex.unchecked("opening", path, e);
        }
    }

    public static synchronized void release(LuceneIndex index) {
        Shared shared = OPEN.get(index.path());
        if (shared == null || shared.index != index) {
            return;
        }
        if (--shared.references == 0) {
            OPEN.remove(index.path());
            try {
                index.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing Lucene index " + index.path() + " failed", e);
            }
        }
    }

    /**
     * {@link #release} for task cleanup: Flink treats an exception thrown while a failed task cleans up as
     * fatal for the whole TaskManager, and the next attempt reopens the writer anyway.
     */
    public static void releaseQuietly(LuceneIndex index) {
        try {
            release(index);
        } catch (RuntimeException e) {
            LOG.warn("Closing Lucene index {} failed; the next task attempt reopens it", index.path(), e);
        }
    }

    private static final class Shared {
        final LuceneIndex index;
        int references;

        Shared(LuceneIndex index) {
            this.index = index;
        }
    }
}
