package dev.flinkrag.embedding;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operator against an OpenAI-compatible server on loopback, speaking the real wire protocol. */
class OpenAiCompatibleEmbeddingITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String SECRET = "sk-test-secret-0123456789";

    /** A keyed changelog record; {@code text == null} stands for a delete. */
    public record Op(String key, int seq, String text) {}

    /** The record with its vector's first component, enough to check which text was embedded. */
    public record Embedded(String key, int seq, float first) {}

    static final class Mapper implements EmbeddingRequestMapper<Op, Embedded> {
        @Override
        public String textToEmbed(Op op) {
            return op.text();
        }

        @Override
        public Embedded withVector(Op op, float[] vector) {
            return new Embedded(op.key(), op.seq(), vector == null ? Float.NaN : vector[0]);
        }
    }

    private FakeOpenAiEmbeddingServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiEmbeddingServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<Embedded> run(List<Op> input, EmbeddingModelProvider model) throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(2);
        var keyed = env.fromData(TypeInformation.of(Op.class), input.toArray(Op[]::new)).keyBy(Op::key);
        EmbeddingOptions options = EmbeddingOptions.DEFAULTS.withMaxBatchSize(16).withMaxConcurrentBatches(3)
                .withRetries(20, Duration.ofMillis(1), Duration.ofMillis(20)).withCacheMaxBytes(0);
        return EmbeddingOperators.embed(keyed, model, new Mapper(), options, TypeInformation.of(Embedded.class))
                .executeAndCollect(input.size() + 1);
    }

    private EmbeddingModelProvider model() {
        return EmbeddingModels.fromOptions(Map.of("model.provider", "openai", "model.base-url", server.baseUrl(),
                "model.name", "fake-embedding-8d", "model.api-key", SECRET));
    }

    /** Under 30 % injected 429s and 500s every record comes out exactly once, in order per key. */
    @Test
    void everyRecordIsEmbeddedOnceAndInOrderUnderThirtyPercentFaults() throws Exception {
        server.faultRate = 0.3;
        Random random = new Random(5);
        List<Op> input = new ArrayList<>();
        Map<String, Integer> sequence = new HashMap<>();
        for (int i = 0; i < 1500; i++) {
            String key = "chunk-" + random.nextInt(50);
            int seq = sequence.merge(key, 1, Integer::sum);
            input.add(new Op(key, seq, random.nextInt(5) == 0 ? null : "text number " + i));
        }

        List<Embedded> output = run(input, model());

        assertThat(output).hasSize(input.size());
        Map<String, List<Integer>> order = new HashMap<>();
        Map<String, Op> byKeyAndSeq = new HashMap<>();
        input.forEach(op -> byKeyAndSeq.put(op.key() + "#" + op.seq(), op));
        for (Embedded embedded : output) {
            order.computeIfAbsent(embedded.key(), k -> new ArrayList<>()).add(embedded.seq());
            Op op = byKeyAndSeq.get(embedded.key() + "#" + embedded.seq());
            if (op.text() == null) {
                assertThat(embedded.first()).isNaN();
            } else {
                assertThat(embedded.first()).isEqualTo(FakeOpenAiEmbeddingServer.vectorOf(op.text())[0]);
            }
        }
        order.forEach((key, seqs) -> assertThat(seqs).as(key).isSorted().doesNotHaveDuplicates()
                .hasSize(sequence.get(key)));
        assertThat(server.faults.get()).as("faults injected").isGreaterThan(20);
        System.out.printf("1500 records, %d texts embedded by the server, %d requests, %d faults%n",
                server.textsEmbedded.get(), server.requests.get(), server.faults.get());
    }

    @Test
    void aNonRetryableFailureFailsFastWithoutTheApiKey() {
        server.forcedStatus = 401;
        assertThatThrownBy(() -> run(List.of(new Op("a", 1, "text")), model()))
                .satisfies(error -> {
                    StringBuilder all = new StringBuilder();
                    for (Throwable t = error; t != null; t = t.getCause()) {
                        all.append(t).append('\n');
                    }
                    assertThat(all.toString()).doesNotContain(SECRET);
                });
        assertThat(server.requests.get()).isLessThanOrEqualTo(4);
        assertThat(model().toString()).doesNotContain(SECRET).contains("apiKey=<set>");
    }

    @Test
    void optionsAreValidatedNamingTheOption() {
        assertThatThrownBy(() -> EmbeddingModels.fromOptions(Map.of("model.provider", "openai")))
                .hasMessageContaining("'model.base-url' is required");
        assertThatThrownBy(() -> EmbeddingModels.fromOptions(Map.of("model.provider", "nope")))
                .hasMessageContaining("'model.provider' is 'nope'");
        assertThatThrownBy(() -> EmbeddingModels.fromOptions(Map.of("model.timout", "5")))
                .hasMessageContaining("unknown option 'model.timout'");
    }
}
