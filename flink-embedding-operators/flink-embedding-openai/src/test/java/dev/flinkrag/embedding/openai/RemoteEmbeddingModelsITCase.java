package dev.flinkrag.embedding.openai;

import dev.flinkrag.embedding.EmbeddedStream;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingModels;
import dev.flinkrag.embedding.EmbeddingOperators;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.EmbeddingRequestMapper;
import dev.flinkrag.embedding.FakeEmbeddingServer;
import dev.flinkrag.embedding.TokenLimitPolicy;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operator against OpenAI-compatible and Ollama servers on loopback, speaking their real wire protocols. */
class RemoteEmbeddingModelsITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String SECRET = "sk-test-secret-0123456789";
    private static final int PARALLELISM = 2;

    /** A keyed changelog record; {@code text == null} stands for a delete. */
    public record Op(String key, int seq, String text) {}

    /** The record with its vector's first component (enough to check which text was embedded), or its rejection. */
    public record Embedded(String key, int seq, float first, String rejection) {}

    static final class Mapper implements EmbeddingRequestMapper<Op, Embedded> {
        @Override
        public String textToEmbed(Op op) {
            return op.text();
        }

        @Override
        public Embedded withVector(Op op, float[] vector) {
            return new Embedded(op.key(), op.seq(), vector == null ? Float.NaN : vector[0], null);
        }
    }

    private FakeEmbeddingServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeEmbeddingServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static EmbeddingOptions.Builder options() {
        return EmbeddingOptions.builder().maxBatchSize(16).maxConcurrentBatches(3).cacheMaxBytes(0)
                .retries(30, Duration.ofMillis(1), Duration.ofMillis(20));
    }

    private List<Embedded> run(List<Op> input, EmbeddingModelProvider model, EmbeddingOptions options)
            throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(PARALLELISM);
        var keyed = env.fromData(TypeInformation.of(Op.class), input.toArray(Op[]::new)).keyBy(Op::key);
        EmbeddedStream<Op, Embedded> embedded =
                EmbeddingOperators.embed(keyed, model, new Mapper(), options, TypeInformation.of(Embedded.class));
        DataStream<Embedded> rejected = embedded.rejected()
                .map(r -> new Embedded(r.record().key(), r.record().seq(), Float.NaN, r.reason()))
                .returns(Embedded.class);
        return embedded.embedded().union(rejected).executeAndCollect(input.size() + 1);
    }

    private EmbeddingModelProvider openAi() {
        return EmbeddingModels.fromOptions(Map.of("model.provider", "openai", "model.base-url", server.baseUrl(),
                "model.name", "fake-embedding-8d", "model.api-key", SECRET, "model.timeout", "1 s"));
    }

    private EmbeddingModelProvider ollama() {
        return EmbeddingModels.fromOptions(Map.of("model.provider", "ollama", "model.base-url", server.root(),
                "model.name", "nomic-embed-text", "model.timeout", "1 s"));
    }

    private static List<Op> changelog(int records, int keys, long seed) {
        Random random = new Random(seed);
        List<Op> input = new ArrayList<>();
        Map<String, Integer> sequence = new HashMap<>();
        for (int i = 0; i < records; i++) {
            String key = "chunk-" + random.nextInt(keys);
            int seq = sequence.merge(key, 1, Integer::sum);
            input.add(new Op(key, seq, random.nextInt(5) == 0 ? null : "text number " + i));
        }
        return input;
    }

    /** Every record once, with the vector of its own text, in per-key order; every text embedded once. */
    private void assertEmbeddedExactlyOnceInOrder(List<Op> input, List<Embedded> output) {
        assertThat(output).hasSize(input.size()).allSatisfy(e -> assertThat(e.rejection()).isNull());
        Map<String, Op> byKeyAndSeq = new HashMap<>();
        input.forEach(op -> byKeyAndSeq.put(op.key() + "#" + op.seq(), op));
        Map<String, List<Integer>> order = new HashMap<>();
        for (Embedded embedded : output) {
            order.computeIfAbsent(embedded.key(), k -> new ArrayList<>()).add(embedded.seq());
            Op op = byKeyAndSeq.get(embedded.key() + "#" + embedded.seq());
            if (op.text() == null) {
                assertThat(embedded.first()).isNaN();
            } else {
                assertThat(embedded.first()).isEqualTo(FakeEmbeddingServer.vectorOf(op.text())[0]);
            }
        }
        order.forEach((key, seqs) -> assertThat(seqs).as(key).isSorted().doesNotHaveDuplicates());
        long texts = input.stream().filter(op -> op.text() != null).count();
        assertThat(server.embeddedTimes).hasSize((int) texts + 1) // + the dimension probe's "test"
                .allSatisfy((text, times) -> assertThat(times).as(text).hasValueLessThanOrEqualTo(PARALLELISM));
        assertThat(server.embeddedTimes.entrySet().stream().filter(e -> !e.getKey().equals("test")))
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).hasValue(1));
    }

    /**
     * 30 % faults (12 % 429 with Retry-After, 10 % 500, 5 % connections cut without a response, 3 % requests
     * hanging past the 1 s client timeout) and slow answers: every record comes out exactly once, in order per key, each text embedded exactly once,
     * with the records held and the requests in flight never above the configured bounds.
     */
    @Test
    void everyRecordIsEmbeddedOnceAndInOrderUnderThirtyPercentFaults() throws Exception {
        server.rateLimitRate = 0.12;
        server.serverErrorRate = 0.10;
        server.resetRate = 0.05;
        server.hangRate = 0.03;
        server.hangMillis = 2_500;
        server.maxDelayMillis = 30;
        List<Op> input = changelog(1500, 50, 5);
        EmbeddingOptions options = options().build();

        AtomicInteger peakInFlight = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                METRICS.getMetricsByGroup().values().forEach(metrics -> {
                    if (metrics.get("inFlightRecords") instanceof Gauge<?> gauge) {
                        peakInFlight.accumulateAndGet(((Number) gauge.getValue()).intValue(), Math::max);
                    }
                });
                Thread.onSpinWait();
            }
        });
        sampler.start();
        List<Embedded> output;
        try {
            output = run(input, openAi(), options);
        } finally {
            running.set(false);
            sampler.join();
        }

        assertEmbeddedExactlyOnceInOrder(input, output);
        assertThat(server.faults.get()).as("faults injected").isGreaterThan(20);
        assertThat(server.maxInputsPerRequest.get()).isLessThanOrEqualTo(options.maxBatchSize());
        assertThat(server.maxConcurrentRequests.get()).isLessThanOrEqualTo(PARALLELISM * options.maxConcurrentBatches());
        assertThat(peakInFlight.get()).as("records held by one instance").isPositive()
                .isLessThanOrEqualTo(options.asyncCapacity());
        System.out.printf("OpenAI, 30%% faults: %d records, %d texts embedded by the server, %d requests, %d faults, "
                        + "peak %d records held per instance (capacity %d), at most %d requests at once%n",
                input.size(), server.textsEmbedded.get(), server.requests.get(), server.faults.get(),
                peakInFlight.get(), options.asyncCapacity(), server.maxConcurrentRequests.get());
    }

    @Test
    void ollamaEmbedsEveryRecordOnceAndInOrderUnderFaults() throws Exception {
        server.rateLimitRate = 0.15;
        server.serverErrorRate = 0.15;
        server.maxDelayMillis = 20;
        List<Op> input = changelog(600, 30, 9);
        List<Embedded> output = run(input, ollama(), options().build());
        assertEmbeddedExactlyOnceInOrder(input, output);
        assertThat(server.faults.get()).isGreaterThan(5);
    }

    /** The server's Retry-After wins over a 1 ms backoff (both instances' first calls are answered 429). */
    @Test
    void retryAfterIsHonoured() throws Exception {
        server.retryAfter = "1";
        server.rateLimitNext.set(PARALLELISM);
        List<Embedded> output = run(List.of(new Op("a", 1, "text")), openAi(), options().build());
        assertThat(output).hasSize(1);
        assertThat(server.arrivals).hasSizeGreaterThan(PARALLELISM);
        assertThat(Duration.ofNanos(server.arrivals.get(PARALLELISM) - server.arrivals.get(0)))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    /** A text the server refuses (400) and a wrong-sized answer cost only their own records. */
    @Test
    void refusedTextsGoToTheDeadLetterOutputAndTheRestIsEmbedded() throws Exception {
        List<Op> input = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String text = i == 7 ? "text " + FakeEmbeddingServer.REFUSED_MARKER
                    : i == 12 ? "text " + FakeEmbeddingServer.WRONG_SIZE_MARKER : "text " + i;
            input.add(new Op("k" + i, 1, text));
        }
        List<Embedded> output = run(input, openAi(), options().maxConcurrentBatches(1).build());
        assertThat(output).hasSize(20);
        assertThat(output.stream().filter(e -> e.rejection() != null)).extracting(Embedded::key)
                .containsExactlyInAnyOrder("k7", "k12");
        assertThat(output.stream().filter(e -> e.key().equals("k7")).findFirst().orElseThrow().rejection())
                .contains("HTTP 400").contains("This input is not allowed").doesNotContain(SECRET);
        assertThat(output.stream().filter(e -> e.key().equals("k12")).findFirst().orElseThrow().rejection())
                .contains("9 dimensions instead of 8");
    }

    /** At start (the dimension probe) or later (a key revoked while running), nothing is dead-lettered. */
    @ParameterizedTest(name = "dimension known up front: {0}")
    @ValueSource(booleans = {false, true})
    void aWrongKeyFailsTheJobWithoutTheApiKeyInsteadOfRejectingEveryRecord(boolean dimensionKnown) {
        server.forcedStatus = 401;
        Map<String, String> options = new HashMap<>(Map.of("model.provider", "openai", "model.base-url",
                server.baseUrl(), "model.name", "fake-embedding-8d", "model.api-key", SECRET));
        if (dimensionKnown) {
            options.put("model.dimensions", "8"); // LangChain4j then skips the probe: the first call is real work
        }
        List<Op> input = List.of(new Op("a", 1, "text"), new Op("b", 1, "more text"), new Op("c", 1, "again"));
        assertThatThrownBy(() -> run(input, EmbeddingModels.fromOptions(options),
                        options().maxBatchSize(3).linger(Duration.ofMillis(200)).build()))
                .satisfies(error -> {
                    StringBuilder all = new StringBuilder();
                    for (Throwable t = error; t != null; t = t.getCause()) {
                        all.append(t).append('\n');
                    }
                    assertThat(all.toString()).doesNotContain(SECRET).contains("401");
                });
        assertThat(server.requests.get()).as("no retries, no halving").isLessThanOrEqualTo(PARALLELISM);
        assertThat(openAi().toString()).doesNotContain(SECRET).contains("apiKey=<set>");
    }

    @Test
    void modelOptionsAreValidatedNamingTheOption() {
        assertThatThrownBy(() -> EmbeddingModels.fromOptions(Map.of("model.provider", "openai")))
                .hasMessageContaining("'model.base-url' is required");
        assertThatThrownBy(() -> EmbeddingModels.fromOptions(Map.of("model.provider", "nope")))
                .hasMessageContaining("'model.provider' is 'nope'");
        assertThatThrownBy(() -> EmbeddingModels.fromOptions(Map.of("model.timout", "5")))
                .hasMessageContaining("unknown option 'model.timout'");
        assertThatThrownBy(() -> EmbeddingModels.fromOptions(Map.of("model.provider", "ollama",
                        "model.base-url", "http://localhost:11434", "model.name", "m", "model.api-key", "k")))
                .hasMessageContaining("'model.api-key' does not apply to model.provider=ollama");
    }
}
