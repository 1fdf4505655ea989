package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.sink.pgvector.PgVectorSink;
import dev.flinkrag.sink.pgvector.PgVectorText;
import dev.flinkrag.sink.pgvector.PostgresServer;
import dev.flinkrag.testing.DocumentHistory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testing.InjectedFailures;
import dev.flinkrag.testing.TestClusters;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The invariant with pgvector as the store: after failovers, the table equals a from-scratch index. */
class IncrementalIndexingPgVectorITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {91, 92})
    void randomHistoriesWithFailoversEndInTheFromScratchIndex(long seed) throws Exception {
        String url = PostgresServer.get().createDatabase();
        DocumentHistory history = DocumentHistory.random(seed, 10, 200);
        int changes = history.changes().size();
        InjectedFailures.reset();
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
        StreamExecutionEnvironment env = TestClusters.environment(configuration, 2);
        env.enableCheckpointing(50);
        var documents = env.fromData(TypeInformation.of(DocumentChange.class),
                        history.changes().toArray(DocumentChange[]::new))
                .map(new InjectedFailures<>(changes / 4, changes / 2, changes * 3 / 4))
                .setParallelism(1);
        IncrementalIndexing.builder()
                .embeddingModel(HashingEmbeddingModel.modelProvider())
                .embeddingOptions(EmbeddingOptions.builder().maxBatchSize(8).build())
                .build()
                .apply(documents)
                .chunks()
                .sinkTo(PgVectorSink.<ChunkChange>builder()
                        .url(url).username("postgres").table("chunks").dimension(HashingEmbeddingModel.DIMENSION)
                        .createTable(true).flushInterval(Duration.ofMillis(20))
                        .converter(new ChunkChangeConverter())
                        .build());
        env.execute("incremental indexing into pgvector");

        assertThat(InjectedFailures.FAILURES).hasValue(3);
        Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(history.finalDocuments(),
                ChunkingOptions.defaults().createSplitter(), HashingEmbeddingModel::vectorOf);
        assertThat(stored(url)).isEqualTo(expected);
        assertThat(expected).hasSizeGreaterThan(50);
    }

    private static Map<String, IndexOracle.Entry> stored(String url) throws Exception {
        Map<String, IndexOracle.Entry> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT id, text, metadata::text, embedding::text FROM chunks")) {
            while (result.next()) {
                Map<String, Object> metadata = JSON.readValue(result.getString(3), new TypeReference<>() {});
                rows.put(result.getString(1), new IndexOracle.Entry(result.getString(2), metadata,
                        IndexOracle.boxed(PgVectorText.parse(result.getString(4)))));
            }
        }
        return rows;
    }
}
