package dev.flinkrag.embedding;

import dev.flinkrag.testutils.TestClusters;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator on a MiniCluster with models that misbehave on purpose. */
class BatchingEmbeddingFunctionITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    static final AtomicInteger CALLS = new AtomicInteger();
    static final Map<String, AtomicInteger> EMBEDDED = new ConcurrentHashMap<>();
    static final List<Integer> BATCH_TOKENS = Collections.synchronizedList(new ArrayList<>());

    /** A record of a keyed changelog: {@code text == null} stands for a delete. */
    public record Op(String key, int seq, String text) {}

    /** What left the operator for one record: its vector size, or why it was rejected. */
    public record Result(String key, int seq, int dimensions, String rejection) {}

    static final class OpMapper implements EmbeddingRequestMapper<Op, Result> {
        @Override
        public String textToEmbed(Op op) {
            return op.text();
        }

        @Override
        public Result withVector(Op op, float[] vector) {
            return new Result(op.key(), op.seq(), vector == null ? 0 : vector.length, null);
        }

        @Override
        public String describe(Op op) {
            return "op " + op.key() + "#" + op.seq();
        }
    }

    /**
     * Finishes calls after random delays (so batches complete in an order unrelated to their start), fails a
     * share of calls with a retryable error, refuses any batch holding a text with "refuse", and answers
     * texts with "wrong-size" or "poison" with a bad vector.
     */
    static final class MisbehavingModel implements EmbeddingModel {
        private final double retryableFailureRate;

        MisbehavingModel(double retryableFailureRate) {
            this.retryableFailureRate = retryableFailureRate;
        }

        @Override
        public int dimension() {
            return 8;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            CALLS.incrementAndGet();
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(25));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (ThreadLocalRandom.current().nextDouble() < retryableFailureRate) {
                throw new RateLimitException("slow down");
            }
            if (segments.stream().anyMatch(segment -> segment.text().contains("refuse"))) {
                throw new InvalidRequestException("input contains forbidden words");
            }
            BATCH_TOKENS.add(segments.stream().mapToInt(segment -> WORDS.estimateTokenCountInText(segment.text())).sum());
            List<Embedding> embeddings = new ArrayList<>();
            for (TextSegment segment : segments) {
                EMBEDDED.computeIfAbsent(segment.text(), t -> new AtomicInteger()).incrementAndGet();
                float[] vector = new float[segment.text().contains("wrong-size") ? 9 : 8];
                vector[0] = segment.text().contains("poison") ? Float.NaN : 1f;
                embeddings.add(Embedding.from(vector));
            }
            return Response.from(embeddings);
        }
    }

    /** One token per word: a tokenizer whose counts a test can predict. */
    static final TokenCountEstimator WORDS = new TokenCountEstimator() {
        @Override
        public int estimateTokenCountInText(String text) {
            String trimmed = text.trim();
            return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            throw new UnsupportedOperationException();
        }
    };

    /** A model that reads at most {@code maxWords} words and counts tokens with {@link #WORDS}. */
    static EmbeddingModelProvider model(String modelId, double retryableFailureRate, int maxWords) {
        return new EmbeddingModelProvider() {
            @Override
            public EmbeddingModel create() {
                return new MisbehavingModel(retryableFailureRate);
            }

            @Override
            public String modelId() {
                return modelId;
            }

            @Override
            public OptionalInt maxInputTokens() {
                return maxWords > 0 ? OptionalInt.of(maxWords) : OptionalInt.empty();
            }

            @Override
            public TokenCountEstimator createTokenCountEstimator() {
                return WORDS;
            }
        };
    }

    static EmbeddingOptions.Builder options() {
        return EmbeddingOptions.builder().maxBatchSize(4).maxConcurrentBatches(4).linger(Duration.ofMillis(5))
                .retries(50, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private static List<Result> run(List<Op> input, int parallelism, EmbeddingModelProvider model,
            EmbeddingOptions options) throws Exception {
        return run(input, parallelism, model, options, new OpMapper());
    }

    private static List<Result> run(List<Op> input, int parallelism, EmbeddingModelProvider model,
            EmbeddingOptions options, EmbeddingRequestMapper<Op, Result> mapper) throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(parallelism);
        var keyed = env.fromData(TypeInformation.of(Op.class), input.toArray(Op[]::new)).keyBy(Op::key);
        EmbeddedStream<Op, Result> embedded =
                EmbeddingOperators.embed(keyed, model, mapper, options, TypeInformation.of(Result.class));
        DataStream<Result> rejected = embedded.rejected()
                .map(rejection -> new Result(rejection.record().key(), rejection.record().seq(), -1,
                        rejection.description() + ": " + rejection.reason()))
                .returns(Result.class);
        return embedded.embedded().union(rejected).executeAndCollect(input.size() + 1);
    }

    private static String uniqueModelId() {
        return "misbehaving-model-" + UUID.randomUUID();
    }

    @BeforeEach
    void reset() {
        CALLS.set(0);
        EMBEDDED.clear();
        BATCH_TOKENS.clear();
    }

    /**
     * 2,000 keyed records (25 % deletes, 2 % refused texts) through a model that finishes calls in random
     * order and fails 20 % of calls retryably: every record leaves exactly once, embedded or rejected, and
     * each output keeps the per-key input order.
     */
    @Test
    void perKeyOrderHoldsWhenBatchesFinishOutOfOrderAndAreRetried() throws Exception {
        Random random = new Random(3);
        List<Op> input = new ArrayList<>();
        Map<String, Integer> sequence = new HashMap<>();
        int texts = 0;
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            String key = "chunk-" + random.nextInt(40);
            int seq = sequence.merge(key, 1, Integer::sum);
            int kind = random.nextInt(100);
            String text = kind < 25 ? null : kind < 27 ? "please refuse text " + i : "text " + i;
            input.add(new Op(key, seq, text));
            texts += text == null ? 0 : 1;
            refused += text != null && text.contains("refuse") ? 1 : 0;
        }

        List<Result> output = run(input, 2, model(uniqueModelId(), 0.2, 0), options().build());

        assertThat(output).hasSize(input.size());
        Map<String, List<Integer>> embeddedOrder = new HashMap<>();
        Map<String, List<Integer>> rejectedOrder = new HashMap<>();
        for (Result result : output) {
            (result.rejection() == null ? embeddedOrder : rejectedOrder)
                    .computeIfAbsent(result.key(), k -> new ArrayList<>()).add(result.seq());
        }
        embeddedOrder.forEach((key, seqs) -> assertThat(seqs).as(key).isSorted().doesNotHaveDuplicates());
        rejectedOrder.forEach((key, seqs) -> assertThat(seqs).as(key).isSorted().doesNotHaveDuplicates());
        assertThat(output.stream().filter(r -> r.dimensions() == 8).count()).isEqualTo(texts - refused);
        assertThat(output.stream().filter(r -> r.rejection() != null))
                .hasSize(refused)
                .allSatisfy(r -> assertThat(r.rejection()).startsWith("op " + r.key() + "#" + r.seq())
                        .contains("refused the request").contains("forbidden words"));
        // deletes never reach the model, texts travel in batches, and no text was embedded twice
        assertThat(CALLS.get()).isLessThan(texts);
        assertThat(EMBEDDED.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }

    /** A paragraph repeated in 1,000 documents costs one model call; records still leave in order. */
    @Test
    void identicalTextsInManyRecordsAreEmbeddedOnce() throws Exception {
        List<Op> input = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            input.add(new Op("doc-" + i, 1, "The same disclaimer paragraph in every document."));
        }
        List<Result> output = run(input, 1, model(uniqueModelId(), 0, 0), options().build());
        assertThat(output).hasSize(1000).allSatisfy(result -> assertThat(result.dimensions()).isEqualTo(8));
        assertThat(EMBEDDED.get("The same disclaimer paragraph in every document.")).hasValue(1);
    }

    /** An edit that is reverted later costs no model call: the old text's vector is still cached. */
    @Test
    void aRevertedTextIsServedFromTheCache() throws Exception {
        List<Op> input = List.of(new Op("chunk", 1, "original text"), new Op("chunk", 2, "edited text"),
                new Op("chunk", 3, "original text"));
        EmbeddingModelProvider model = model(uniqueModelId(), 0, 0);
        run(input.subList(0, 2), 1, model, options().build());
        List<Result> output = run(input.subList(2, 3), 1, model, options().build());
        assertThat(output).singleElement().satisfies(result -> assertThat(result.dimensions()).isEqualTo(8));
        assertThat(EMBEDDED.get("original text")).hasValue(1);
    }

    /** Bad vectors are rejected for their own record only; the rest of the batch is written. */
    @Test
    void aWrongDimensionOrNonFiniteVectorRejectsOnlyItsRecord() throws Exception {
        List<Op> input = List.of(new Op("a", 1, "fine"), new Op("b", 1, "wrong-size vector"),
                new Op("c", 1, "poison"), new Op("d", 1, "also fine"));
        Map<String, Result> byKey = new HashMap<>();
        run(input, 1, model(uniqueModelId(), 0, 0), options().build()).forEach(r -> byKey.put(r.key(), r));
        assertThat(byKey).containsOnlyKeys("a", "b", "c", "d");
        assertThat(byKey.get("a").dimensions()).isEqualTo(8);
        assertThat(byKey.get("d").dimensions()).isEqualTo(8);
        assertThat(byKey.get("b").rejection()).startsWith("op b#1: ").endsWith("returned 9 dimensions instead of 8");
        assertThat(byKey.get("c").rejection()).startsWith("op c#1: ").contains("non-finite");
    }

    /** A mapper that throws on one record rejects that record; before, the exception failed the job. */
    @Test
    void aMapperFailingOnOneRecordRejectsOnlyThatRecord() throws Exception {
        List<Op> input = List.of(new Op("a", 1, "fine"), new Op("bad", 1, "mapper throws"), new Op("c", 1, null));
        Map<String, Result> byKey = new HashMap<>();
        run(input, 1, model(uniqueModelId(), 0, 0), options().build(), new ThrowingOnBad())
                .forEach(r -> byKey.put(r.key(), r));
        assertThat(byKey).containsOnlyKeys("a", "bad", "c");
        assertThat(byKey.get("a").dimensions()).isEqualTo(8);
        assertThat(byKey.get("c").dimensions()).isZero();
        assertThat(byKey.get("bad").rejection()).startsWith("op bad#1: ")
                .contains("the request mapper failed: java.lang.IllegalStateException: no text for key bad");
    }

    static final class ThrowingOnBad implements EmbeddingRequestMapper<Op, Result> {
        private final OpMapper mapper = new OpMapper();

        @Override
        public String textToEmbed(Op op) {
            if (op.key().equals("bad")) {
                throw new IllegalStateException("no text for key bad");
            }
            return mapper.textToEmbed(op);
        }

        @Override
        public Result withVector(Op op, float[] vector) {
            return mapper.withVector(op, vector);
        }

        @Override
        public String describe(Op op) {
            return mapper.describe(op);
        }
    }

    @Test
    void textsOverTheTokenLimitAreRejectedUnderTheDeadLetterPolicy() throws Exception {
        List<Op> input = List.of(new Op("short", 1, "one two three"), new Op("long", 1, "one two three four five six"));
        List<Result> output = run(input, 1, model(uniqueModelId(), 0, 5), options().build());
        assertThat(output).contains(new Result("short", 1, 8, null));
        assertThat(output.stream().filter(r -> r.key().equals("long")).findFirst().orElseThrow().rejection())
                .contains("text has 6 tokens").contains("reads at most 5").contains("DEAD_LETTER");
        assertThat(EMBEDDED).doesNotContainKey("one two three four five six");
    }

    @Test
    void textsOverTheTokenLimitAreCutAtAWordUnderTheTruncatePolicy() throws Exception {
        List<Op> input = List.of(new Op("long", 1, "one two three four five six"));
        List<Result> output = run(input, 1, model(uniqueModelId(), 0, 5),
                options().tokenLimitPolicy(TokenLimitPolicy.TRUNCATE).build());
        assertThat(output).containsExactly(new Result("long", 1, 8, null));
        assertThat(EMBEDDED).containsOnlyKeys("one two three four five");
    }

    @Test
    void batchesCloseOnTheirTokenBudget() throws Exception {
        List<Op> input = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            input.add(new Op("k" + i, 1, "w" + i + " x".repeat(i % 7)));
        }
        List<Result> output = run(input, 1, model(uniqueModelId(), 0, 0),
                options().maxBatchSize(64).maxBatchTokens(10).linger(Duration.ofMillis(50)).build());
        assertThat(output).hasSize(60).allSatisfy(r -> assertThat(r.dimensions()).isEqualTo(8));
        assertThat(BATCH_TOKENS).allSatisfy(tokens -> assertThat(tokens).isLessThanOrEqualTo(10));
        assertThat(BATCH_TOKENS.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60 + 174);
    }

    /** 20 single-text calls at 600 requests/minute cannot finish in less than 19 intervals of 100 ms. */
    @Test
    void callsArePacedToTheRequestRate() throws Exception {
        List<Op> input = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            input.add(new Op("k" + i, 1, "text " + i));
        }
        long started = System.nanoTime();
        run(input, 1, model(uniqueModelId(), 0, 0), options().maxBatchSize(1).maxRequestsPerMinute(600).build());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(CALLS.get()).isEqualTo(20);
    }
}
