package dev.flinkrag.benchmarks;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.source.folder.FolderSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import javax.management.ObjectName;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The folder source on 100,000 files (1,000 directories of 100 small text files) in one run, next to plain Java
 * baselines on the same files: the first scan and read of every file (a continuous FolderSource job at
 * parallelism 2 into a counting sink, until all files arrived) against one thread walking the tree and reading
 * every file; then a rescan with nothing changed (the enumerator's {@code lastScanMillis}) against a walk that
 * reads each file's size and modification time. Memory: the heap in use after full GCs while the job runs with
 * every file tracked, against the same job on an empty folder.
 *
 * <p>Prints the figures and writes them to {@code <results dir>/folder-scan.md}.
 */
public final class FolderScanBenchmark {

    private static final int DIRECTORIES = 1_000;
    private static final int FILES_PER_DIRECTORY = 100;
    private static final int FILES = DIRECTORIES * FILES_PER_DIRECTORY;
    static final AtomicLong RECEIVED = new AtomicLong();
    static final Map<String, Gauge<?>> ENUMERATOR_GAUGES = new ConcurrentHashMap<>();

    private FolderScanBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Path folder = Files.createTempDirectory("flink-rag-folder-scan");
        long created = System.nanoTime();
        long[] sizes = writeFiles(folder);
        System.out.printf("wrote %,d files in %.1f s%n", FILES, (System.nanoTime() - created) / 1e9);

        double rawRead = seconds(() -> {
            long bytes = 0;
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    bytes += Files.readAllBytes(file).length;
                }
            }
            return bytes;
        });
        double rawStat = seconds(() -> {
            long stamps = 0;
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    stamps += attributes.size() ^ attributes.lastModifiedTime().toMillis();
                }
            }
            return stamps;
        });

        // the same job on an empty folder first: what the MiniCluster and the job hold without any file
        Path empty = Files.createTempDirectory("flink-rag-empty-folder");
        JobClient emptyJob = startSource(FolderSource.forFolder(empty));
        awaitJob(emptyJob, () -> gauge("scans") >= 1, "the empty folder's first scan");
        long emptyHeapMb = heapAfterGcMb();
        emptyJob.cancel().get();
        ENUMERATOR_GAUGES.clear();

        long start = System.nanoTime();
        JobClient job = startSource(FolderSource.forFolder(folder));
        awaitJob(job, () -> RECEIVED.get() >= FILES, "all files");
        double sourceReadSeconds = (System.nanoTime() - start) / 1e9;
        long firstScanMillis = gauge("lastScanMillis");
        long scansBefore = gauge("scans");
        awaitJob(job, () -> gauge("scans") > scansBefore, "a rescan");
        long rescanMillis = gauge("lastScanMillis");
        long rescanChanges = gauge("lastScanChanges");
        long fullHeapMb = heapAfterGcMb();
        Thread.sleep(2_500);
        long receivedInTheEnd = RECEIVED.get();
        job.cancel().get();

        // the same files read without the modification time in the metadata: the enumerator also keeps a hash
        RECEIVED.set(0);
        ENUMERATOR_GAUGES.clear();
        JobClient hashingJob = startSource(FolderSource.forFolder(folder).withoutModificationTime());
        awaitJob(hashingJob, () -> RECEIVED.get() >= FILES, "all files, with content hashes");
        long hashedScans = gauge("scans");
        awaitJob(hashingJob, () -> gauge("scans") > hashedScans, "a rescan with content hashes");
        long hashingHeapMb = heapAfterGcMb();
        hashingJob.cancel().get();

        String report = String.format(Locale.ROOT, """
                # Folder source: 100,000 files

                %,d files of %d–%d bytes in %,d directories on the local disk, one run.
                %s
                The source runs at parallelism 2 (scan every 2 s) in a MiniCluster in the same JVM, into a sink
                that counts.

                | path | time | files/s |
                |---|---|---|
                | raw: one thread walks the tree and reads every file | %.2f s | %,.0f |
                | FolderSource job: start, first scan, every file read and emitted | %.2f s | %,.0f |
                | raw: walk reading size + modification time only | %.2f s | %,.0f |
                | FolderSource: first scan (enumerator's `lastScanMillis`) | %.2f s | %,.0f |
                | FolderSource: rescan, nothing changed | %.2f s | %,.0f |

                - Source job / raw, first read: **%.2f** of the raw files/s (the job's time includes starting a
                  MiniCluster and the job, and Flink's records; the raw loop only reads).
                - Rescan / raw walk: **%.2f** of the raw walk's files/s.
                - Live heap while the job runs (the JVM's class histogram after a full GC, the lowest of 5
                  readings 500 ms apart, so a rescan's passing listing does not count): %,d MB with 100,000
                  files tracked, %,d MB for the same job on an empty folder, so **%,d MB** for 100,000 files:
                  the enumerator's map of path, size, modification time and last change. With
                  `withoutModificationTime()` the readers also report a 128-bit hash of each file's content,
                  which the enumerator keeps: %,d MB, so **%,d MB** for 100,000 files (the map, and the
                  serialized copies of it Flink holds for checkpoints).
                - Flink 2.2 keeps a metric group per split registered after the reader releases it (~1 KB), so
                  changes travel in splits of up to 500 (200 splits here); with a split per file change the
                  same run held 135 MB (and 355 MB before splits were released at all).
                - The unchanged rescan found %d changes; records emitted in all: %,d (one per file: a rescan
                  re-emits nothing unchanged).
                - Enumerator state per file: its path, size, modification time, last change and, without the
                  modification time in the metadata, a content hash (never the content); changes
                  are handed to readers %d at a time, so no RPC message or reader queue grows with the folder.
                """,
                FILES, sizes[0], sizes[1], DIRECTORIES, Results.provenance(FolderScanBenchmark.class),
                rawRead, FILES / rawRead,
                sourceReadSeconds, FILES / sourceReadSeconds,
                rawStat, FILES / rawStat,
                firstScanMillis / 1e3, FILES / (firstScanMillis / 1e3),
                rescanMillis / 1e3, FILES / (rescanMillis / 1e3),
                rawRead / sourceReadSeconds,
                rawStat / (rescanMillis / 1e3),
                fullHeapMb, emptyHeapMb, fullHeapMb - emptyHeapMb, hashingHeapMb, hashingHeapMb - emptyHeapMb,
                rescanChanges, receivedInTheEnd, 500);
        Results.write(results, "folder-scan", FolderScanBenchmark.class, report, Map.of(
                "files", FILES, "rawReadSeconds", rawRead, "sourceReadSeconds", sourceReadSeconds,
                "firstScanMillis", firstScanMillis, "rescanMillis", rescanMillis,
                "heapMbFor100kFiles", fullHeapMb - emptyHeapMb, "heapMbFor100kFilesHashing", hashingHeapMb - emptyHeapMb));
        deleteTree(folder);
        deleteTree(empty);
    }

    /** Writes the files; returns the smallest and largest size. */
    private static long[] writeFiles(Path folder) throws IOException {
        long[] sizes = {Long.MAX_VALUE, 0};
        for (int d = 0; d < DIRECTORIES; d++) {
            Path directory = Files.createDirectories(folder.resolve("part-" + d));
            for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
                byte[] text = ("Note " + f + " of part " + d + ": a short text file that the folder source lists "
                        + "and reads.").getBytes(StandardCharsets.UTF_8);
                Files.write(directory.resolve("note-" + f + ".txt"), text);
                sizes[0] = Math.min(sizes[0], text.length);
                sizes[1] = Math.max(sizes[1], text.length);
            }
        }
        return sizes;
    }

    /** Waits for the condition while the job runs; fails with what the job says if it stopped. */
    private static void awaitJob(JobClient job, java.util.function.BooleanSupplier condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (job.getJobStatus().get().isTerminalState() || System.nanoTime() > deadline) {
                throw new IllegalStateException("waiting for " + what + ": job " + job.getJobStatus().get()
                        + ", received " + RECEIVED.get() + ", gauges " + ENUMERATOR_GAUGES.keySet(),
                        job.getJobExecutionResult().handle((result, failure) -> failure).get());
            }
            Thread.sleep(20);
        }
    }

    private static long gauge(String name) {
        Gauge<?> gauge = ENUMERATOR_GAUGES.get(name);
        return gauge == null ? -1 : ((Number) gauge.getValue()).longValue();
    }

    private interface Timed {
        long run() throws Exception;
    }

    private static double seconds(Timed path) throws Exception {
        long start = System.nanoTime();
        long result = path.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("(%d) %.2f s%n", result, seconds);
        return seconds;
    }

    /**
     * The live objects' bytes as the JVM's class histogram counts them (it runs a full GC first), the lowest of 5
     * readings 500 ms apart: what the job holds, not what a rescan passes through. The heap's "used" figure after
     * {@code System.gc()} also counts partly filled regions, which moved by up to 9 MB between runs of the same job.
     */
    private static long heapAfterGcMb() throws Exception {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] total = histogram.strip().lines().reduce((first, last) -> last).orElseThrow().trim().split("\\s+");
            lowest = Math.min(lowest, Long.parseLong(total[2]));
            Thread.sleep(500);
        }
        return lowest / (1024 * 1024);
    }

    private static JobClient startSource(FolderSource.Builder source) throws Exception {
        Configuration configuration = new Configuration();
        configuration.setString("metrics.reporter.capture.factory.class", GaugeCaptureFactory.class.getName());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(2);
        env.enableCheckpointing(1_000);
        env.fromSource(source.monitorContinuously(Duration.ofSeconds(2)).build(),
                        WatermarkStrategy.noWatermarks(), "folder")
                .sinkTo(new CountingSink());
        return env.executeAsync("folder scan benchmark");
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Counts what reaches it; the MiniCluster runs in this JVM. */
    private static final class CountingSink implements Sink<DocumentChange> {
        @Override
        public SinkWriter<DocumentChange> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(DocumentChange change, Context context) {
                    RECEIVED.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Keeps the folder enumerator's gauges and counters, to read them from the benchmark's thread. */
    public static final class GaugeCaptureFactory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new MetricReporter() {
                @Override
                public void open(MetricConfig config) {}

                @Override
                public void close() {}

                @Override
                public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
                    if (metric instanceof Gauge<?> gauge) {
                        ENUMERATOR_GAUGES.put(name, gauge);
                    } else if (metric instanceof org.apache.flink.metrics.Counter counter && name.equals("scans")) {
                        ENUMERATOR_GAUGES.put(name, counter::getCount);
                    }
                }

                @Override
                public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
            };
        }
    }
}
