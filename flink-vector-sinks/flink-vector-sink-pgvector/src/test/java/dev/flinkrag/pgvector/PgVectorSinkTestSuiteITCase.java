package dev.flinkrag.pgvector;

import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.testutils.PostgresServer;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SinkTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Flink's own connector test suite (basic write, savepoint restart, scale up/down, metrics) against the pgvector sink. */
class PgVectorSinkTestSuiteITCase extends SinkTestSuiteBase<String> {

    @TestEnv
    MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestContext
    ExternalContextFactory<PgVectorSinkContext> context = testName -> new PgVectorSinkContext();

    @TestSemantics
    CheckpointingMode[] semantics = {CheckpointingMode.EXACTLY_ONCE, CheckpointingMode.AT_LEAST_ONCE};

    /** Records are {@code "id|text"}; the row read back is the same string. Each test gets a new database. */
    static final class PgVectorSinkContext implements DataStreamSinkV2ExternalContext<String> {

        private static final int DIMENSION = 4;
        private final String url = PostgresServer.get().createDatabase();

        @Override
        public Sink<String> createSink(TestingSinkSettings settings) {
            return PgVectorSink.<String>builder().options(PgVectorOptions.builder().url(url).username("postgres")
                            .table("suite").dimension(DIMENSION).createTable(true).build()).flushInterval(Duration.ofMillis(50)).converter(new LineConverter()).build();
        }

        @Override
        public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
            Set<String> returned = new HashSet<>();
            return new ExternalSystemDataReader<>() {
                @Override
                public List<String> poll(Duration timeout) {
                    List<String> fresh = new ArrayList<>();
                    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                            Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery(
                                    "SELECT id, text FROM suite WHERE to_regclass('suite') IS NOT NULL")) {
                        while (rows.next()) {
                            String line = rows.getString(1) + "|" + rows.getString(2);
                            if (returned.add(line)) {
                                fresh.add(line);
                            }
                        }
                    } catch (SQLException tableNotYetCreated) {
                        // the sink creates the table when its job starts
                    }
                    return fresh;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public List<String> generateTestData(TestingSinkSettings settings, long seed) {
            Random random = new Random(seed);
            List<String> lines = new ArrayList<>();
            int count = 100 + random.nextInt(200);
            for (int i = 0; i < count; i++) {
                lines.add("id-" + seed + "-" + i + "|text " + random.nextInt(1_000_000));
            }
            return lines;
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }

        @Override
        public List<URL> getConnectorJarPaths() {
            return List.of();
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "pgvector";
        }
    }

    static final class LineConverter implements VectorOperationConverter<String> {
        @Override
        public VectorOperation convert(String line) {
            String[] parts = line.split("\\|", 2);
            float[] vector = new float[PgVectorSinkContext.DIMENSION];
            vector[parts[1].hashCode() & 3] = 1f;
            return VectorOperation.upsert(parts[0], parts[1], vector, Map.of());
        }

        @Override
        public String routingKeyOf(String line) {
            return line.substring(0, line.indexOf('|'));
        }
    }
}
