package dev.flinkrag.examples;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.serving.ServingOptions;
import dev.flinkrag.source.folder.FolderSource;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Watches a folder and keeps a Lucene vector index of it fresh, re-embedding only chunks whose text
 * changed; serves Pathway's document-store API ({@code /v1/retrieve}, {@code /v1/statistics}, {@code /v1/inputs},
 * …) on localhost while it runs.
 *
 * <pre>
 * java -jar flink-rag-examples.jar [run] FOLDER|URI [--work-dir DIR] [--port 8080] [--scan-interval-ms 500]
 *     [--checkpoint-interval-ms 2000] [--extensions txt,text,md,markdown,pdf,docx,html] [--include GLOBS]
 *     [--exclude GLOBS] [--parsing.skip-documents 'ID;ID'] [--parsing.timeout 60s] [--parsing.…]
 * java -jar flink-rag-examples.jar query "TEXT" [--work-dir DIR] [--k 5]
 * </pre>
 *
 * <p>Run locally ({@code java -jar}) it resumes from the newest checkpoint in the work directory, so a
 * restart re-embeds nothing unchanged; vectors are also kept on disk in the work directory, so even a
 * restart after a crash embeds nothing it had embedded before. Submitted to a cluster ({@code flink run}) it is a plain Flink job:
 * the index lives on the task manager's disk and resuming is Flink's savepoint/checkpoint restore.
 */
public final class LiveFolderIndex {

    private static final String USAGE = String.join("\n",
            "usage: java -jar flink-rag-examples.jar [run] FOLDER|URI [--work-dir DIR] [--port PORT] [--scan-interval-ms MS]"
                    + " [--checkpoint-interval-ms MS] [--extensions LIST] [--include GLOBS] [--exclude GLOBS]"
                    + " [--parsing.OPTION VALUE …]",
            "       java -jar flink-rag-examples.jar query \"TEXT\" [--work-dir DIR] [--k K]");

    private LiveFolderIndex() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (arguments.command.equals("query")) {
            query(arguments);
        } else {
            run(arguments);
        }
    }

    private static void run(Arguments arguments) throws Exception {
        FolderSource.Builder folder = folderOf(arguments.target);
        Path index = arguments.workDir.resolve("index");
        Path checkpoints = arguments.workDir.resolve("checkpoints");
        Path savepoints = arguments.workDir.resolve("savepoints");
        boolean local = StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;

        Map<String, String> settings = new HashMap<>();
        settings.put("execution.checkpointing.interval", arguments.checkpointIntervalMillis + " ms");
        settings.put("metrics.reporter.progress.factory.class", ProgressReporterFactory.class.getName());
        settings.put("metrics.reporter.progress.interval", "2 s");
        int restPort = local ? LocalServing.bindRestApi(settings) : 0;
        if (local) {
            settings.put("execution.checkpointing.dir", checkpoints.toUri().toString());
            settings.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
            settings.put("execution.checkpointing.num-retained", "2");
            Optional<Path> resumeFrom = RetainedCheckpoints.latest(checkpoints, savepoints);
            resumeFrom.ifPresent(checkpoint -> {
                settings.put("execution.state-recovery.path", checkpoint.toUri().toString());
                System.out.println("[flink-rag] resuming from " + checkpoint);
            });
        }
        StreamExecutionEnvironment env = JobDefaults.environment(settings);
        // records cross the two network hops (to the chunker, to the sink) within 5 ms instead of Flink's 100 ms
        env.setBufferTimeout(5);

        FolderSource source = folder
                .monitorContinuously(Duration.ofMillis(arguments.scanIntervalMillis))
                .extensions(arguments.extensions)
                .include(arguments.includes)
                .exclude(arguments.excludes)
                .build();
        DataStream<DocumentChange> changes = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "folder " + arguments.target)
                .uid("folder-source");
        // vectors also go to disk, so a restart after a crash pays nothing for what was embedded after the last
        // checkpoint (the index rolls back to that checkpoint, the vectors do not need to)
        EmbeddingOptions embedding = EmbeddingOptions.builder()
                .cacheDirectory(arguments.workDir.resolve("embedding-cache").toString())
                .build();
        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag")
                .read(changes)
                .parse(ParsingOptions.fromOptions(arguments.parsing))
                .chunk()
                .embed(InProcessModels.allMiniLmL6V2Q(), embedding);
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index));
        result.deadLetters()
                .map(letter -> "[flink-rag] skipped " + letter.docId() + ": " + letter.reason())
                .uid("dead-letter-log")
                .print()
                .uid("dead-letter-print");

        if (!local) {
            env.execute("flink-rag live folder index: " + arguments.target);
            return;
        }
        Configuration serving = new Configuration();
        serving.set(ServingOptions.PORT, arguments.port);
        String jobName = "flink-rag live folder index: " + arguments.target;
        LocalServing.serveWhileRunning(env, jobName, index, restPort, serving,
                job -> Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWithSavepoint(job, savepoints))),
                server -> {
                    System.out.println("[flink-rag] watching " + arguments.target + ", index in " + index);
                    System.out.printf("[flink-rag] status page: http://127.0.0.1:%d/%n", server.port());
                    System.out.printf("[flink-rag] query: curl 'http://127.0.0.1:%d/v1/retrieve?query=your+question&k=3'%n",
                            server.port());
                });
    }

    /**
     * On Ctrl-C or SIGTERM, stop with a savepoint, so the next start resumes exactly where this one ended
     * instead of at the last periodic checkpoint (which would redo the work done since).
     */
    private static void stopWithSavepoint(JobClient job, Path savepoints) {
        try {
            String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            System.out.println("[flink-rag] stopped; state saved in " + savepoint);
        } catch (Exception e) {
            System.out.println("[flink-rag] stopped without a savepoint (" + e.getMessage()
                    + "); the next start resumes from the last checkpoint");
        }
    }

    /** Answers from the index on disk, read-only: works with or without a job writing it. */
    private static void query(Arguments arguments) {
        Path index = arguments.workDir.resolve("index");
        if (!Files.isDirectory(index)) {
            System.err.println("no index at " + index + "; start the job first: java -jar flink-rag-examples.jar FOLDER");
            System.exit(1);
        }
        EmbeddingModel model = InProcessModels.allMiniLmL6V2Q().create();
        try (LuceneEmbeddingStore store = LuceneEmbeddingStore.openReadOnly(index)) {
            var request = EmbeddingSearchRequest.builder()
                    .queryEmbedding(model.embed(arguments.target).content())
                    .maxResults(arguments.k)
                    .build();
            for (EmbeddingMatch<TextSegment> match : store.search(request).matches()) {
                System.out.printf("%.3f  %s #%s%n%s%n%n", match.score(),
                        match.embedded().metadata().getString("doc_id"),
                        match.embedded().metadata().getInteger("ordinal"), match.embedded().text());
            }
        }
    }

    /**
     * A local folder, or a URI of any file system Flink has a plugin for ({@code s3://bucket/docs}), which only the
     * cluster can check.
     */
    private static FolderSource.Builder folderOf(String target) {
        if (target.contains("://")) {
            return FolderSource.forPath(target);
        }
        Path folder = Path.of(target).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("folder " + folder + " does not exist or is not a directory");
        }
        return FolderSource.forFolder(folder);
    }

    /** Command-line arguments: a command, its target (folder or query text) and options. */
    static final class Arguments {
        String command = "run";
        String target;
        Path workDir = Path.of("flink-rag-work");
        int port = 8080;
        long scanIntervalMillis = 500;
        long checkpointIntervalMillis = 2_000;
        int k = 5;
        /** Text and Markdown, and what Apache Tika reads (the jar includes it). */
        java.util.Set<String> extensions = java.util.Set.of("txt", "text", "md", "markdown", "pdf", "docx", "pptx",
                "xlsx", "odt", "rtf", "html", "htm");
        String[] includes = {};
        String[] excludes = {};
        /** {@code --parsing.*} options, by their keys (ParsingOptions). */
        Map<String, String> parsing = new HashMap<>();

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            Map<String, String> options = new LinkedHashMap<>();
            java.util.List<String> positional = new java.util.ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + args[i] + " needs a value");
                    }
                    options.put(args[i].substring(2), args[++i]);
                } else {
                    positional.add(args[i]);
                }
            }
            if (!positional.isEmpty() && (positional.get(0).equals("run") || positional.get(0).equals("query"))) {
                parsed.command = positional.remove(0);
            }
            if (positional.size() != 1) {
                throw new IllegalArgumentException(parsed.command.equals("query")
                        ? "query needs exactly one text argument" : "run needs exactly one folder argument");
            }
            parsed.target = positional.get(0);
            for (Map.Entry<String, String> option : options.entrySet()) {
                String value = option.getValue();
                switch (option.getKey()) {
                    case "work-dir" -> parsed.workDir = Path.of(value);
                    case "port" -> parsed.port = parseInt(option.getKey(), value, 0, 65535);
                    case "scan-interval-ms" -> parsed.scanIntervalMillis = parseInt(option.getKey(), value, 10, 3_600_000);
                    case "checkpoint-interval-ms" ->
                            parsed.checkpointIntervalMillis = parseInt(option.getKey(), value, 100, 86_400_000);
                    case "k" -> parsed.k = parseInt(option.getKey(), value, 1, 100);
                    case "extensions" -> parsed.extensions = java.util.Set.of(value.split(","));
                    case "include" -> parsed.includes = value.split(",");
                    case "exclude" -> parsed.excludes = value.split(",");
                    default -> {
                        if (!option.getKey().startsWith("parsing.")) {
                            throw new IllegalArgumentException("unknown option --" + option.getKey());
                        }
                        parsed.parsing.put(option.getKey(), value);
                    }
                }
            }
            parsed.workDir = parsed.workDir.toAbsolutePath().normalize();
            return parsed;
        }

        private static int parseInt(String option, String value, int min, int max) {
            try {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("--" + option + " must be a whole number from " + min + " to " + max);
        }
    }
}
