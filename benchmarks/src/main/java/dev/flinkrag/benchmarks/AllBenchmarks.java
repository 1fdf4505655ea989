package dev.flinkrag.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every benchmark, one after another, each in a JVM of its own (they start MiniClusters, a PostgreSQL and
 * servers, and end with {@code System.exit}), then {@link BenchmarkReport}. A benchmark that fails does not stop the
 * others; the run exits non-zero naming it. About an hour on 2 cores; each benchmark also runs alone with
 * {@code -Dbenchmark=NAME}.
 */
public final class AllBenchmarks {

    /** In the order they run: the quick counting ones first. */
    static final List<Class<?>> BENCHMARKS = List.of(
            StoreWritesBenchmark.class,
            RequestsPerChunkBenchmark.class,
            SqlRequestsPerChunkBenchmark.class,
            EmbeddingThroughputBenchmark.class,
            SinkThroughputBenchmark.class,
            PipelineThroughputBenchmark.class,
            SqlIndexThroughputBenchmark.class,
            FreshnessBenchmark.class,
            IncrementalVsRebuildBenchmark.class,
            FolderScanBenchmark.class,
            ChunkStabilityBenchmark.class,
            ServingLatencyBenchmark.class);

    private AllBenchmarks() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> failed = new ArrayList<>();
        for (Class<?> benchmark : BENCHMARKS) {
            System.out.println("=== " + benchmark.getSimpleName());
            long started = System.nanoTime();
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    benchmark.getName(), results.toString()).inheritIO().start();
            int exit = process.waitFor();
            System.out.printf("=== %s: exit %d after %.0f s%n", benchmark.getSimpleName(), exit,
                    (System.nanoTime() - started) / 1e9);
            if (exit != 0) {
                failed.add(benchmark.getSimpleName());
            }
        }
        BenchmarkReport.main(new String[] {results.toString()});
        if (!failed.isEmpty()) {
            System.err.println("failed: " + String.join(", ", failed));
            System.exit(1);
        }
    }
}
