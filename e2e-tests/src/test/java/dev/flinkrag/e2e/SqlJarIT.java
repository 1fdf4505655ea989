package dev.flinkrag.e2e;

import dev.flinkrag.testutils.PostgresServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connectors' -sql jar on its own, the way SQL users add it: a SQL script writes into a real pgvector table
 * through {@code 'connector' = 'pgvector'}, run (1) in a JVM with only Flink's jars and that jar on the
 * classpath and (2) by Flink's SQL client through a SQL gateway on a session cluster, the jar added with {@code
 * ADD JAR} and shipped to the TaskManager with the job. The driver, Lucene and the relocated libraries must all
 * come from the jar.
 */
class SqlJarIT {

    private static final Path SQL_JAR = Path.of(System.getProperty("sql.jar"));

    @TempDir
    Path temp;

    @Test
    void theSqlJarWritesAPgVectorTableFromSql() throws Exception {
        String url = PostgresServer.get().createDatabase();
        Path script = Files.writeString(temp.resolve("script.sql"), script(url));
        String flinkClasspath = Files.readString(Path.of(System.getProperty("flink.classpath.file"))).strip();
        String classpath = String.join(File.pathSeparator, flinkClasspath,
                Path.of("target", "test-classes").toAbsolutePath().toString(), SQL_JAR.toString());
        Process process = new ProcessBuilder("java", "-cp", classpath, SqlScriptRunner.class.getName(),
                script.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("script done");
        assertThat(flinkClasspath).as("the driver must come from the -sql jar").doesNotContain("postgresql");
        assertTableHoldsTheScriptsRows(url);
    }

    @Test
    void theSqlClientAddsTheJarThroughTheGatewayAndTheClusterWritesTheTable() throws Exception {
        String url = PostgresServer.get().createDatabase();
        Path script = Files.writeString(temp.resolve("gateway.sql"), """
                ADD JAR '%s';
                SET 'table.dml-sync' = 'true';
                %s""".formatted(SQL_JAR, script(url)));
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(temp.resolve("cluster"))) {
            cluster.startSqlGateway();
            String output = cluster.runSqlScript(Path.of(System.getProperty("sql.client.jar")), script);
            assertThat(output).as(cluster.logs()).doesNotContain("[ERROR]");
            assertTableHoldsTheScriptsRows(url);
            assertThat(cluster.get("/jobs/overview")).as("both INSERTs ran as jobs on the cluster")
                    .containsPattern("(\"state\":\"FINISHED\".*){2}");
        }
    }

    private static String script(String url) {
        return """
                CREATE TABLE chunks (
                  id STRING, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, `ordinal` INT,
                  PRIMARY KEY (id) NOT ENFORCED
                ) WITH (
                  'connector' = 'pgvector', 'url' = '%s', 'username' = 'postgres',
                  'table-name' = 'chunks', 'dimension' = '3', 'create-table' = 'true'
                );
                INSERT INTO chunks VALUES
                  ('a', 'alpha', ARRAY[CAST(1 AS FLOAT), CAST(0 AS FLOAT), CAST(0 AS FLOAT)], 'doc-1', 0),
                  ('b', 'beta', ARRAY[CAST(0 AS FLOAT), CAST(1 AS FLOAT), CAST(0 AS FLOAT)], 'doc-1', 1);
                INSERT INTO chunks VALUES
                  ('a', 'alpha again', ARRAY[CAST(0.5 AS FLOAT), CAST(0.5 AS FLOAT), CAST(0 AS FLOAT)], 'doc-1', 0);
                """.formatted(url);
    }

    private static void assertTableHoldsTheScriptsRows(String url) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, text, metadata::text, embedding::text FROM chunks")) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2) + " | " + result.getString(3) + " | "
                        + result.getString(4));
            }
        }
        assertThat(rows).containsExactly(
                Map.entry("a", "alpha again | {\"doc_id\": \"doc-1\", \"ordinal\": 0} | [0.5,0.5,0]"),
                Map.entry("b", "beta | {\"doc_id\": \"doc-1\", \"ordinal\": 1} | [0,1,0]"));
    }
}
