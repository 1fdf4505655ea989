package dev.flinkrag.benchmarks;

import dev.flinkrag.embedding.FakeEmbeddingServer;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP requests per chunk sent to an OpenAI-compatible server on loopback (the real wire protocol) from SQL, on the
 * same rows in one run: {@code EMBED} and {@code ML_PREDICT} with a {@code 'provider' = 'flink-rag'} model, against
 * {@code ML_PREDICT} with Flink's own {@code flink-model-openai} provider, which sends one row per request.
 */
public final class SqlRequestsPerChunkBenchmark {

    private static final int CHUNKS = 4096;
    /** Rows in flight per async operator: what lets rows arriving together share a request. */
    private static final String IN_FLIGHT = "128";

    private static final String FLINK_PROVIDER_JAR = "https://repo.maven.apache.org/maven2/org/apache/flink/"
            + "flink-model-openai/2.2.0/flink-model-openai-2.2.0.jar";

    private SqlRequestsPerChunkBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        try (FakeEmbeddingServer server = new FakeEmbeddingServer()) {
            Map<String, Integer> requests = new LinkedHashMap<>();
            Path flinkProvider = results.toAbsolutePath().getParent().resolve("target/models/flink-model-openai.jar");
            fetchOnce(flinkProvider);
            requests.put("ML_PREDICT, Flink's openai provider", run(server, "flink", """
                    ADD JAR '%s';
                    CREATE MODEL embedder INPUT (text STRING) OUTPUT (embedding ARRAY<FLOAT>) WITH (
                      'provider' = 'openai', 'endpoint' = '%s/embeddings', 'api-key' = 'benchmark',
                      'model' = 'benchmark-model')""".formatted(flinkProvider, server.baseUrl()),
                    "SELECT id, embedding FROM ML_PREDICT(TABLE texts, MODEL embedder, DESCRIPTOR(text))"));
            requests.put("ML_PREDICT, 'provider' = 'flink-rag'", run(server, "ml-predict", """
                    CREATE MODEL embedder INPUT (text STRING) OUTPUT (embedding ARRAY<FLOAT>) WITH (
                      'provider' = 'flink-rag', %s)""".formatted(modelOptions(server, "ml-predict")),
                    "SELECT id, embedding FROM ML_PREDICT(TABLE texts, MODEL embedder, DESCRIPTOR(text))"));
            requests.put("EMBED", run(server, "embed", "LOAD MODULE flinkrag WITH (" + modelOptions(server, "embed")
                    + ")", "SELECT id, EMBED(text) FROM texts"));

            int baseline = requests.values().iterator().next();
            StringBuilder rows = new StringBuilder();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("chunks", CHUNKS);
            requests.forEach((path, count) -> {
                rows.append(String.format("| %s | %d | %.4f | %.4f |%n", path, count, (double) count / CHUNKS,
                        (double) count / baseline));
                data.put(path, count);
            });
            String report = String.format("""
                    # SQL: HTTP requests per chunk, OpenAI-compatible server on loopback

                    %d rows of distinct texts, parallelism 2, %s rows in flight per async operator
                    ('table.exec.async-scalar.max-concurrent-operations', 'table.exec.async-ml-predict.max-concurrent-operations'),
                    flink-rag's default batching (batches of 64, linger 20 ms), same server, same run.
                    %s

                    | path | requests | requests per chunk | of Flink's provider |
                    |---|---|---|---|
                    %s
                    Goal: flink-rag's paths at most 1/32 = 0.03125 of Flink's provider. flink-rag's counts include one
                    dimension probe per model.
                    """, CHUNKS, IN_FLIGHT, Results.provenance(SqlRequestsPerChunkBenchmark.class), rows);
            Results.write(results, "sql-requests-per-chunk", SqlRequestsPerChunkBenchmark.class, report, data);
        }
    }

    /**
     * Flink's provider jar from Maven Central, once: Maven cannot resolve it as a dependency (its parent pom
     * {@code flink-models} is not published), and a SQL user adds it with {@code ADD JAR} anyway.
     */
    private static void fetchOnce(Path jar) throws Exception {
        if (Files.isRegularFile(jar)) {
            return;
        }
        Files.createDirectories(jar.getParent());
        HttpResponse<Path> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(FLINK_PROVIDER_JAR)).build(), HttpResponse.BodyHandlers.ofFile(jar));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(jar);
            throw new IllegalStateException("fetching " + FLINK_PROVIDER_JAR + " answered " + response.statusCode());
        }
    }

    private static String modelOptions(FakeEmbeddingServer server, String name) {
        return "'model.provider' = 'openai', 'model.base-url' = '" + server.baseUrl() + "', 'model.name' = '"
                + name + "', 'embedding.cache.max-size' = '0'";
    }

    /** Runs {@code query} over the texts after {@code setup}; the server's requests it cost. */
    private static int run(FakeEmbeddingServer server, String name, String setup, String query) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.exec.async-scalar.max-concurrent-operations", IN_FLIGHT);
        tables.getConfig().set("table.exec.async-ml-predict.max-concurrent-operations", IN_FLIGHT);
        List<Row> texts = new ArrayList<>(CHUNKS);
        for (int i = 0; i < CHUNKS; i++) {
            texts.add(Row.of(i, "Chunk " + i + " of " + name + ": a paragraph of a document that changed, to embed."));
        }
        tables.createTemporaryView("texts", tables.fromValues(texts.toArray()).as("id", "text"));
        for (String statement : setup.split(";\n")) {
            tables.executeSql(statement);
        }
        tables.executeSql("CREATE TABLE sink (id INT, embedding ARRAY<FLOAT>) WITH ('connector' = 'blackhole')");
        int before = server.requests.get();
        tables.executeSql("INSERT INTO sink " + query).await();
        return server.requests.get() - before;
    }
}
