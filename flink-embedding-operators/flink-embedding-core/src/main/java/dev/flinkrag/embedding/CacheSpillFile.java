package dev.flinkrag.embedding;

import com.github.benmanes.caffeine.cache.Cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The embedding cache of one model on disk: a directory per model with one append-only file per JVM
 * (locked while the JVM lives), so TaskManagers sharing a directory never write to the same file. At start
 * every file is read back into memory; a torn last record (a crash mid-write) is ignored. When the files
 * hold more than twice the cache's memory bound, the entries read are rewritten into this JVM's file and
 * the unlocked files of JVMs that are gone are deleted. {@link #catchUp} reads what the other files gained
 * since: a TaskManager that outlived another takes over its work after a failover and must find the vectors
 * the lost one appended, or the replay since the last checkpoint is embedded again.
 *
 * <p>Being a cache, it fails soft: a file that cannot be read or written is logged and skipped, and the
 * job goes on (at worst embedding a text again).
 */
final class CacheSpillFile {

    private static final Logger LOG = LoggerFactory.getLogger(CacheSpillFile.class);
    private static final int MAGIC = 0x46524331; // "FRC1"
    private static final String SUFFIX = ".vectors";
    private static final int MAX_DIMENSION = 1 << 16;
    /** Where to read a file from next when it is not a cache file: past any size it can reach. */
    private static final long NEVER = Long.MAX_VALUE;

    private final Path file;
    private final FileChannel channel;
    private final DataOutputStream out;
    /** The other files of the model, each with the end of its last whole record read so far. */
    private final Map<Path, Long> readUpTo = new HashMap<>();
    private boolean failed;

    private CacheSpillFile(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
    }

    /**
     * Reads every file of the model into {@code cache} and opens this JVM's own file for appending;
     * {@code null} (with a warning) when the directory cannot be used.
     */
    static CacheSpillFile open(Path directory, String modelId, long maxBytes, Cache<String, float[]> cache) {
        Path modelDirectory = directory.resolve(directoryName(modelId));
        try {
            Files.createDirectories(modelDirectory);
            List<Path> existing = listFiles(modelDirectory);
            Map<String, float[]> loaded = new HashMap<>();
            Map<Path, Long> readUpTo = new HashMap<>();
            long bytes = 0;
            for (Path path : existing) {
                bytes += Files.size(path);
                readUpTo.put(path, read(path, 0, loaded));
            }
            cache.putAll(loaded);
            Path own = modelDirectory.resolve(UUID.randomUUID() + SUFFIX);
            FileChannel channel = FileChannel.open(own, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock " + own);
            }
            CacheSpillFile spill = new CacheSpillFile(own, channel);
            spill.readUpTo.putAll(readUpTo);
            spill.out.writeInt(MAGIC);
            if (bytes > 2 * maxBytes) {
                cache.cleanUp(); // apply the memory bound now, so only what it keeps is rewritten
                cache.asMap().forEach(spill::append);
                spill.out.flush();
                deleteUnlocked(existing);
            }
            spill.out.flush();
            LOG.info("Embedding cache of model {}: {} vectors read from {} file(s) in {}", modelId, loaded.size(),
                    existing.size(), modelDirectory);
            return spill;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Embedding cache directory {} is not usable; the cache stays in memory only", modelDirectory, e);
            return null;
        }
    }

    /**
     * Reads into {@code cache} the records the model's other files gained since this JVM last read them,
     * including files that appeared since (another JVM started, or compacted); forgets files that are gone.
     */
    synchronized void catchUp(Cache<String, float[]> cache) {
        Path modelDirectory = file.getParent();
        try {
            List<Path> present = listFiles(modelDirectory);
            readUpTo.keySet().retainAll(present);
            Map<String, float[]> loaded = new HashMap<>();
            for (Path path : present) {
                if (!path.equals(file)) {
                    long from = readUpTo.getOrDefault(path, 0L);
                    if (Files.size(path) > from) {
                        readUpTo.put(path, read(path, from, loaded));
                    }
                }
            }
            cache.putAll(loaded);
            if (!loaded.isEmpty()) {
                LOG.info("Embedding cache: {} vectors other TaskManagers added read from {}", loaded.size(),
                        modelDirectory);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the new vectors in embedding cache directory {}; skipped", modelDirectory, e);
        }
    }

    /** A readable, unique directory name: the model id's safe characters plus a hash of the whole id. */
    static String directoryName(String modelId) {
        String safe = modelId.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.length() > 80 ? safe.substring(0, 80) : safe) + "-"
                + Integer.toHexString(modelId.hashCode());
    }

    synchronized void append(String key, float[] vector) {
        if (failed) {
            return;
        }
        try {
            byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
            out.writeShort(keyBytes.length);
            out.write(keyBytes);
            out.writeInt(vector.length);
            for (float value : vector) {
                out.writeFloat(value);
            }
            out.flush();
        } catch (IOException e) {
            failed = true;
            LOG.warn("Cannot append to embedding cache file {}; new vectors stay in memory only", file, e);
        }
    }

    /** Releases the file to compaction by a later JVM, as this JVM's exit does. */
    synchronized void close() {
        try {
            out.flush();
            channel.close();
        } catch (IOException e) {
            LOG.warn("Cannot close embedding cache file {}", file, e);
        }
        failed = true;
    }

    private static List<Path> listFiles(Path modelDirectory) throws IOException {
        try (Stream<Path> files = Files.list(modelDirectory)) {
            return new ArrayList<>(files.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).toList());
        }
    }

    /**
     * Reads the whole records from byte {@code from} on (0: the file's start, with its magic number) and
     * returns the end of the last whole one, where the next read starts: a record still being written, or
     * torn by a crash, is read again then.
     */
    private static long read(Path path, long from, Map<String, float[]> into) {
        long end = from;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                DataInputStream in = new DataInputStream(
                        new BufferedInputStream(Channels.newInputStream(channel.position(from))))) {
            if (from == 0) {
                if (in.readInt() != MAGIC) {
                    LOG.warn("{} is not an embedding cache file; skipped", path);
                    return NEVER;
                }
                end = Integer.BYTES;
            }
            while (true) {
                byte[] key = new byte[in.readUnsignedShort()];
                in.readFully(key);
                int dimension = in.readInt();
                if (dimension < 0 || dimension > MAX_DIMENSION) {
                    LOG.warn("{} holds a record of {} dimensions; the rest of the file is skipped", path, dimension);
                    return NEVER;
                }
                float[] vector = new float[dimension];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = in.readFloat();
                }
                into.put(new String(key, StandardCharsets.US_ASCII), vector);
                end += Short.BYTES + key.length + Integer.BYTES + (long) dimension * Float.BYTES;
            }
        } catch (EOFException endOrTornRecord) {
            // the end of the file, or a record not yet whole: everything before it is
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read embedding cache file {}; skipped from here on", path, e);
            return NEVER;
        }
        return end;
    }

    private static void deleteUnlocked(List<Path> files) {
        for (Path path : files) {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    Files.delete(path);
                    lock.release();
                }
            } catch (OverlappingFileLockException inUseByThisJvm) {
                // another cache of this JVM still appends to it
            } catch (IOException e) {
                LOG.warn("Cannot remove compacted embedding cache file {}", path, e);
            }
        }
    }
}
