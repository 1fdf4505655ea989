package dev.flinkrag.examples;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.serving.ServingOptions;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitoring example: a log stream becomes a live index an agent can ask "what is failing in checkout right
 * now?". Logs (from Kafka, or generated) are counted per service per window in event time — lines, errors, warnings,
 * the most frequent error messages — and each window becomes a document of a Lucene index; windows older than the
 * retention are deleted from it. The index is served on localhost with Pathway's API and the status page, so
 * {@code /v2/answer} answers from the last minutes of logs only.
 *
 * <pre>
 * java -cp flink-rag-examples.jar dev.flinkrag.examples.LogMonitoring --generate [--rate 200] [--incident-after 30s]
 * java -cp flink-rag-examples.jar dev.flinkrag.examples.LogMonitoring --bootstrap-servers kafka:9092 [--topic logs]
 *     [--window 1min] [--retention 10min] [--work-dir DIR] [--port 8090] [--checkpoint-interval-ms 2000]
 *     [--chat.provider … --chat.base-url … --chat.model …]
 * curl -s localhost:8090/v2/answer -d '{"prompt": "what is failing in checkout right now?"}'
 * </pre>
 *
 * A Kafka record is a JSON log line ({@link LogEvent}); one that is not is skipped with its reason in the log. Events
 * may arrive up to 5 s out of order.
 */
public final class LogMonitoring {

    private static final OutputTag<String> UNREADABLE = new OutputTag<>("unreadable-log-lines") {};
    private static final OutputTag<LogEvent> LATE = new OutputTag<>("late-log-lines") {};

    private LogMonitoring() {}

    public static void main(String[] args) throws Exception {
        ParameterTool options = ParameterTool.fromArgs(args);
        long window = duration(options, "window", "1min");
        long retention = duration(options, "retention", "10min");
        Path workDir = Path.of(options.get("work-dir", "flink-rag-logs")).toAbsolutePath().normalize();
        Path index = workDir.resolve("index");

        Map<String, String> settings = new HashMap<>();
        settings.put("execution.checkpointing.interval", options.getLong("checkpoint-interval-ms", 2_000) + " ms");
        int restPort = LocalServing.bindRestApi(settings);
        StreamExecutionEnvironment env = JobDefaults.environment(settings);

        DataStream<LogEvent> logs = options.has("generate") ? generated(env, options) : fromKafka(env, options);
        LogWindows windows = windowDocuments(logs, window, retention);
        windows.late().map(event -> "[flink-rag] skipped a log line of " + event.service() + " at "
                        + Instant.ofEpochMilli(event.timestamp()) + ": more than 5 s late, its window is written")
                .uid("late-log-lines").print().uid("late-log-print");

        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag-logs")
                .read(windows.documents())
                .parse()
                .chunk()
                .embed(InProcessModels.allMiniLmL6V2Q());
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index));
        result.deadLetters().map(letter -> "[flink-rag] skipped " + letter.docId() + ": " + letter.reason())
                .uid("dead-letter-log").print().uid("dead-letter-print");

        Configuration serving = new Configuration();
        serving.set(ServingOptions.PORT, options.getInt("port", 8090));
        options.toMap().forEach((key, value) -> {
            if (key.startsWith("chat.")) {
                serving.setString(key, value);
            }
        });
        LocalServing.serveWhileRunning(env, "flink-rag log monitoring", index, restPort, serving, job -> { },
                server -> {
                    System.out.println("[flink-rag] indexing " + Duration.ofMillis(window).toSeconds()
                            + " s windows of logs per service, kept for " + Duration.ofMillis(retention).toSeconds()
                            + " s, index in " + index);
                    System.out.printf("[flink-rag] status page: http://127.0.0.1:%d/%n", server.port());
                    System.out.printf("[flink-rag] ask: curl -s http://127.0.0.1:%d/v2/answer -d '{\"prompt\": "
                            + "\"what is failing in checkout right now?\"}'%n", server.port());
                });
    }

    /** The window documents (upserts and retention deletes), and the log lines that came too late for their window. */
    record LogWindows(DataStream<DocumentChange> documents, DataStream<LogEvent> late) {}

    /**
     * Each service's logs counted per event-time window of {@code windowMillis} (events up to 5 s out of order), each
     * window as an upserted document, deleted once the watermark passes its end plus {@code retentionMillis}. A line
     * later than that finds its window written: it is not counted, and comes out in {@link LogWindows#late()}.
     */
    static LogWindows windowDocuments(DataStream<LogEvent> logs, long windowMillis, long retentionMillis) {
        SingleOutputStreamOperator<LogWindow> windows = logs
                .assignTimestampsAndWatermarks(WatermarkStrategy.<LogEvent>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                        .withTimestampAssigner((event, previous) -> event.timestamp())
                        .withIdleness(Duration.ofSeconds(10)))
                .uid("log-watermarks")
                .keyBy(LogEvent::service)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(windowMillis)))
                .sideOutputLateData(LATE)
                .aggregate(new LogWindowAggregate(), new ToLogWindow())
                .uid("log-windows").name("count logs per service and window");
        DataStream<DocumentChange> documents = windows
                .keyBy(LogWindow::service)
                .process(new LogWindowDocuments(windowMillis, retentionMillis))
                .uid("log-window-documents").name("windows as documents, deleted after the retention");
        return new LogWindows(documents, windows.getSideOutput(LATE));
    }

    private static DataStream<LogEvent> generated(StreamExecutionEnvironment env, ParameterTool options) {
        DataGeneratorSource<LogEvent> source = new DataGeneratorSource<>(
                new GeneratedLogs(duration(options, "incident-after", "30s")), Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(options.getInt("rate", 200)), TypeInformation.of(LogEvent.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "generated logs").uid("generated-logs");
    }

    private static DataStream<LogEvent> fromKafka(StreamExecutionEnvironment env, ParameterTool options) {
        String topic = options.get("topic", "logs");
        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(options.getRequired("bootstrap-servers"))
                .setTopics(topic)
                .setGroupId(options.get("group-id", "flink-rag-logs"))
                .setStartingOffsets(OffsetsInitializer.latest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .build();
        SingleOutputStreamOperator<LogEvent> parsed = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "kafka " + topic).uid("kafka-logs")
                .process(new ProcessFunction<String, LogEvent>() {
                    @Override
                    public void processElement(String line, Context context, Collector<LogEvent> out) {
                        try {
                            out.collect(LogEvent.parse(line));
                        } catch (IOException e) {
                            String shown = line.length() > 200 ? line.substring(0, 200) + "…" : line;
                            context.output(UNREADABLE, "[flink-rag] skipped log line " + shown + ": " + e.getMessage());
                        }
                    }
                })
                .uid("parse-logs").name("parse log lines");
        parsed.getSideOutput(UNREADABLE).print().uid("unreadable-log-print");
        return parsed;
    }

    private static long duration(ParameterTool options, String key, String fallback) {
        try {
            return TimeUtils.parseDuration(options.get(key, fallback)).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + key + " must be a duration such as 30s or 1min: " + e.getMessage());
        }
    }

    /** Adds the window's bounds to its counts. */
    private static final class ToLogWindow
            extends ProcessWindowFunction<LogWindowAggregate.Counts, LogWindow, String, TimeWindow> {

        @Override
        public void process(String service, Context context, Iterable<LogWindowAggregate.Counts> elements,
                Collector<LogWindow> out) {
            LogWindowAggregate.Counts counts = elements.iterator().next();
            List<String> messages = new ArrayList<>();
            List<Long> frequencies = new ArrayList<>();
            for (Map.Entry<String, Long> error : counts.topErrors()) {
                messages.add(error.getKey());
                frequencies.add(error.getValue());
            }
            out.collect(new LogWindow(service, context.window().getStart(), context.window().getEnd(), counts.lines,
                    counts.errors, counts.warnings, messages, frequencies));
        }
    }
}
