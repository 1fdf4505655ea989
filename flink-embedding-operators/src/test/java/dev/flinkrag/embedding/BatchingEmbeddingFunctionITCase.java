package dev.flinkrag.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchingEmbeddingFunctionITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final AtomicInteger CALLS = new AtomicInteger();
    static final Map<String, AtomicInteger> EMBEDDED = new ConcurrentHashMap<>();

    /** A record of a keyed changelog: {@code text == null} stands for a delete. */
    public record Op(String key, int seq, String text) {}

    public record Result(String key, int seq, int dimensions) {}

    static final class OpMapper implements EmbeddingRequestMapper<Op, Result> {
        @Override
        public String textToEmbed(Op op) {
            return op.text();
        }

        @Override
        public Result withVector(Op op, float[] vector) {
            return new Result(op.key(), op.seq(), vector == null ? 0 : vector.length);
        }
    }

    /** Finishes calls after random delays, so batches complete in an order unrelated to their start. */
    static final class SlowRandomModel implements EmbeddingModel {
        private final int dimension;
        private final float poison;

        SlowRandomModel(int dimension, float poison) {
            this.dimension = dimension;
            this.poison = poison;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            CALLS.incrementAndGet();
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(25));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Embedding> embeddings = new ArrayList<>();
            for (TextSegment segment : segments) {
                EMBEDDED.computeIfAbsent(segment.text(), t -> new AtomicInteger()).incrementAndGet();
                float[] vector = new float[segment.text().contains("wrong-size") ? dimension + 1 : dimension];
                vector[0] = segment.text().contains("poison") ? poison : 1f;
                embeddings.add(Embedding.from(vector));
            }
            return Response.from(embeddings);
        }
    }

    private static List<Result> run(List<Op> input, float poison) throws Exception {
        return run(input, poison, 2, "slow-random-model-" + UUID.randomUUID());
    }

    private static List<Result> run(List<Op> input, float poison, int parallelism, String modelId) throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(parallelism);
        var keyed = env.fromData(TypeInformation.of(Op.class), input.toArray(Op[]::new)).keyBy(Op::key);
        EmbeddingModelProvider model = new EmbeddingModelProvider() {
            @Override
            public EmbeddingModel create() {
                return new SlowRandomModel(8, poison);
            }

            @Override
            public String modelId() {
                return modelId;
            }
        };
        EmbeddingOptions options = EmbeddingOptions.DEFAULTS.withMaxBatchSize(4).withMaxConcurrentBatches(4)
                .withLinger(Duration.ofMillis(5));
        return EmbeddingOperators.embed(keyed, model, new OpMapper(), options, TypeInformation.of(Result.class))
                .executeAndCollect(input.size() + 1);
    }

    @Test
    void perKeyOrderHoldsWhenBatchesFinishOutOfOrder() throws Exception {
        CALLS.set(0);
        Random random = new Random(3);
        List<Op> input = new ArrayList<>();
        Map<String, Integer> sequence = new HashMap<>();
        int texts = 0;
        for (int i = 0; i < 2000; i++) {
            String key = "chunk-" + random.nextInt(40);
            int seq = sequence.merge(key, 1, Integer::sum);
            boolean delete = random.nextInt(4) == 0;
            input.add(new Op(key, seq, delete ? null : "text " + i));
            texts += delete ? 0 : 1;
        }

        List<Result> output = run(input, 1f);

        assertThat(output).hasSize(input.size());
        Map<String, List<Integer>> seen = new HashMap<>();
        for (Result result : output) {
            seen.computeIfAbsent(result.key(), k -> new ArrayList<>()).add(result.seq());
        }
        seen.forEach((key, seqs) -> assertThat(seqs).as(key).isSorted().doesNotHaveDuplicates()
                .hasSize(sequence.get(key)));
        assertThat(output.stream().filter(r -> r.dimensions() == 8).count()).isEqualTo(texts);
        // deletes never reach the model, and texts travel in batches
        assertThat(CALLS.get()).isLessThan(texts / 2);
    }

    /** A paragraph repeated in 1,000 documents costs one model call; records still leave in order. */
    @Test
    void identicalTextsInManyRecordsAreEmbeddedOnce() throws Exception {
        EMBEDDED.clear();
        List<Op> input = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            input.add(new Op("doc-" + i, 1, "The same disclaimer paragraph in every document."));
        }
        List<Result> output = run(input, 1f, 1, "cache-test-model");
        assertThat(output).hasSize(1000).allSatisfy(result -> assertThat(result.dimensions()).isEqualTo(8));
        assertThat(EMBEDDED.get("The same disclaimer paragraph in every document.")).hasValue(1);
    }

    /** An edit that is reverted later costs no model call: the old text's vector is still cached. */
    @Test
    void aRevertedTextIsServedFromTheCache() throws Exception {
        EMBEDDED.clear();
        List<Op> input = List.of(new Op("chunk", 1, "original text"), new Op("chunk", 2, "edited text"),
                new Op("chunk", 3, "original text"));
        String model = "revert-test-model";
        run(input.subList(0, 2), 1f, 1, model);
        List<Result> output = run(input.subList(2, 3), 1f, 1, model);
        assertThat(output).singleElement().satisfies(result -> assertThat(result.dimensions()).isEqualTo(8));
        assertThat(EMBEDDED.get("original text")).hasValue(1);
    }

    @Test
    void aWrongDimensionFailsTheBatchInsteadOfReachingTheStore() {
        List<Op> input = List.of(new Op("a", 1, "fine"), new Op("b", 1, "wrong-size vector"));
        assertThatThrownBy(() -> run(input, 1f)).rootCause().hasMessageContaining("dimensions");
    }

    @Test
    void aNonFiniteValueFailsTheBatchNamingTheRecord() {
        List<Op> input = List.of(new Op("a", 1, "poison"));
        assertThatThrownBy(() -> run(input, Float.NaN)).rootCause()
                .hasMessageContaining("non-finite").hasMessageContaining("Op[key=a");
    }
}
