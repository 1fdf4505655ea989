package dev.flinkrag.pgvector;

import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random upsert/metadata-update/delete streams through the pgvector sink on a MiniCluster, with checkpoints and injected
 * failures: the table ends equal to the last operation per id.
 */
class PgVectorSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final int DIMENSION = 4;

    /**
     * A changelog record, {@code kind} 0 an upsert of {@code text}, 1 a metadata-only update to {@code text},
     * 2 a delete; {@code seq} counts operations per id.
     */
    public record Change(String id, int seq, int kind, String text) {}

    static final class ChangeConverter implements VectorOperationConverter<Change> {
        @Override
        public VectorOperation convert(Change change) {
            Map<String, Object> metadata = Map.of("seq", change.seq(), "source", "test");
            return switch (change.kind()) {
                case 0 -> VectorOperation.upsert(change.id(), change.text(), vectorOf(change.text()), metadata);
                case 1 -> VectorOperation.updateMetadata(change.id(), change.text(), metadata);
                default -> VectorOperation.delete(change.id());
            };
        }

        @Override
        public String routingKeyOf(Change change) {
            return change.id();
        }
    }

    static float[] vectorOf(String text) {
        float[] vector = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = (float) ((text.hashCode() >>> (i * 7)) % 1000) / 1000f;
        }
        return vector;
    }

    /**
     * Many operations on few ids (one id takes a fifth of them), so flushes collapse deletes followed by
     * re-inserts of the same id; failures land between flushes and checkpoints.
     */
    static List<Change> randomChanges(long seed, int count, int ids) {
        Random random = new Random(seed);
        List<Change> changes = new ArrayList<>();
        Map<String, Integer> seq = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String id = random.nextInt(5) == 0 ? "id-hot" : "id-" + random.nextInt(ids);
            int n = seq.merge(id, 1, Integer::sum);
            int roll = random.nextInt(10);
            changes.add(new Change(id, n, roll < 5 ? 0 : roll < 8 ? 1 : 2, "text " + id + " v" + n));
        }
        return changes;
    }

    static Map<String, PgVectorTables.Row> lastOperationPerId(List<Change> changes) {
        Map<String, PgVectorTables.Row> expected = new TreeMap<>();
        for (Change change : changes) {
            String metadata = "{\"seq\": " + change.seq() + ", \"source\": \"test\"}";
            PgVectorTables.Row stored = expected.get(change.id());
            switch (change.kind()) {
                case 0 -> expected.put(change.id(), new PgVectorTables.Row(change.text(), metadata,
                        PgVectorTables.printed(vectorOf(change.text()))));
                case 1 -> {
                    if (stored != null) {
                        expected.put(change.id(), new PgVectorTables.Row(change.text(), metadata, stored.vector()));
                    }
                }
                default -> expected.remove(change.id());
            }
        }
        return expected;
    }

    @ParameterizedTest(name = "seed {0}, sink parallelism {1}")
    @CsvSource({"1, 1", "2, 3", "3, 4"})
    void theTableEndsAsTheLastOperationPerIdAcrossFailures(long seed, int parallelism) throws Exception {
        String url = PostgresServer.get().createDatabase();
        List<Change> changes = randomChanges(seed, 3000, 40);
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
                .map(new InjectedFailures<>(700, 1500, 2300))
                .setParallelism(1)
                .sinkTo(PgVectorSink.<Change>builder()
                        .options(PgVectorOptions.builder().url(url).username("postgres").table("chunks")
                                .dimension(DIMENSION).createTable(true).build())
                        .maxBufferedOperations(50).flushInterval(Duration.ofMillis(20))
                        .converter(new ChangeConverter())
                        .build())
                .setParallelism(parallelism);
        env.execute("pgvector sink under failures");

        assertThat(InjectedFailures.FAILURES).hasValue(3);
        assertThat(PgVectorTables.read(url, "chunks")).isEqualTo(lastOperationPerId(changes));
    }
}
