package dev.flinkrag.langchain4j;

import dev.flinkrag.langchain4j.chroma.ChromaStore;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.TestClusters;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random upserts, metadata-only updates and deletes through the LangChain4j adapter into LangChain4j's own
 * in-memory store and into Chroma (its real client, Chroma's HTTP API on loopback), with checkpoints and injected
 * failures: the store ends as the last operation per id.
 */
class EmbeddingStoreSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final int DIMENSION = 4;
    /** Shared with the tasks: the MiniCluster runs in this JVM. */
    static InMemoryEmbeddingStore<TextSegment> store;

    /** {@code kind}: 0 upsert, 1 metadata-only update, 2 delete. */
    public record Change(String id, int seq, int kind) {}

    static final class ChangeConverter implements VectorOperationConverter<Change> {
        @Override
        public VectorOperation convert(Change change) {
            Map<String, Object> metadata = Map.of("seq", change.seq());
            return switch (change.kind()) {
                case 0 -> VectorOperation.upsert(change.id(), "text " + change.id() + " v" + change.seq(),
                        vectorOf(change.id(), change.seq()), metadata);
                case 1 -> VectorOperation.updateMetadata(change.id(), "text " + change.id() + " meta" + change.seq(),
                        metadata);
                default -> VectorOperation.delete(change.id());
            };
        }

        @Override
        public String routingKeyOf(Change change) {
            return change.id();
        }
    }

    static float[] vectorOf(String id, int seq) {
        Random random = new Random(id.hashCode() * 31L + seq);
        float[] vector = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = random.nextFloat() + 0.1f;
        }
        return vector;
    }

    /** What the store should hold: text, seq and vector per id, from the last operations in order. */
    static Map<String, String> expected(List<Change> changes) {
        Map<String, String> texts = new TreeMap<>();
        Map<String, float[]> vectors = new HashMap<>();
        Map<String, String> rows = new TreeMap<>();
        for (Change change : changes) {
            switch (change.kind()) {
                case 0 -> {
                    vectors.put(change.id(), vectorOf(change.id(), change.seq()));
                    texts.put(change.id(), "text " + change.id() + " v" + change.seq() + " | seq=" + change.seq());
                }
                case 1 -> {
                    if (vectors.containsKey(change.id())) {
                        texts.put(change.id(), "text " + change.id() + " meta" + change.seq() + " | seq=" + change.seq());
                    }
                }
                default -> {
                    vectors.remove(change.id());
                    texts.remove(change.id());
                }
            }
        }
        texts.forEach((id, text) -> rows.put(id, text + " | " + Arrays.toString(vectors.get(id))));
        return rows;
    }

    static Map<String, String> stored(EmbeddingStore<TextSegment> store) {
        float[] probe = new float[DIMENSION];
        probe[0] = 1f;
        Map<String, String> rows = new TreeMap<>();
        for (EmbeddingMatch<TextSegment> match : store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(probe)).maxResults(100_000).minScore(0.0).build()).matches()) {
            String previous = rows.put(match.embeddingId(), match.embedded().text() + " | seq="
                    + match.embedded().metadata().getInteger("seq") + " | " + Arrays.toString(match.embedding().vector()));
            assertThat(previous).as("duplicate entry for " + match.embeddingId()).isNull();
            assertThat(match.embedded().metadata().getString(EmbeddingStoreWriter.ID_KEY)).isEqualTo(match.embeddingId());
        }
        return rows;
    }

    @ParameterizedTest(name = "seed {0}, sink parallelism {1}, {2}")
    @CsvSource({"11, 1, in-memory", "12, 3, in-memory", "13, 2, chroma"})
    void theStoreEndsAsTheLastOperationPerIdAcrossFailures(long seed, int parallelism, String storeKind)
            throws Exception {
        store = new InMemoryEmbeddingStore<>();
        FakeChromaServer chroma = storeKind.equals("chroma") ? new FakeChromaServer() : null;
        EmbeddingStoreProvider provider = chroma == null
                ? () -> store
                : ChromaStore.builder().baseUrl(chroma.url()).collection("chunks").build();
        Random random = new Random(seed);
        List<Change> changes = new ArrayList<>();
        Map<String, Integer> seq = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            String id = random.nextInt(5) == 0 ? "id-hot" : "id-" + random.nextInt(30);
            int roll = random.nextInt(10);
            changes.add(new Change(id, seq.merge(id, 1, Integer::sum), roll < 5 ? 0 : roll < 8 ? 1 : 2));
        }
        InjectedFailures.reset();
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.enableCheckpointing(50);
        env.fromData(TypeInformation.of(Change.class), changes.toArray(Change[]::new))
                .setParallelism(1)
                .map(new InjectedFailures<>(500, 1100, 1600))
                .setParallelism(1)
                .sinkTo(EmbeddingStoreSink.<Change>builder()
                        .store(provider).name(storeKind).dimension(DIMENSION)
                        .maxBufferedOperations(40).flushInterval(Duration.ofMillis(20))
                        .converter(new ChangeConverter())
                        .build())
                .setParallelism(parallelism);
        env.execute("LangChain4j store sink under failures");

        try {
            assertThat(InjectedFailures.FAILURES).hasValue(3);
            assertThat(stored(provider.create())).isEqualTo(expected(changes));
        } finally {
            if (chroma != null) {
                chroma.close();
            }
        }
    }
}
