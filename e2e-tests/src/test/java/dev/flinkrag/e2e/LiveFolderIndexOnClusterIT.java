package dev.flinkrag.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples jar submitted with {@code flink run} to a real session cluster (separate JobManager and
 * TaskManager JVMs): the job indexes the folder on the TaskManager and follows an edit, and the
 * {@code query} subcommand reads the index read-only next to the running job.
 */
class LiveFolderIndexOnClusterIT {

    private static final Path JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    void theExamplesJarRunsOnASessionCluster() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        Path work = temp.resolve("work");
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(Files.createDirectories(temp.resolve("flink")))) {
            String submitted = cluster.submit(JAR, docs.toString(), "--work-dir", work.toString());
            assertThat(submitted).contains("Job has been submitted with JobID");

            awaitAnswer(cluster, work, "why does my coffee taste bitter",
                    answer -> answer.contains("kitchen/coffee-extraction.md"));

            Files.writeString(docs.resolve("home/composting.md"), "\n\nWorm bins turn kitchen scraps into castings "
                    + "on an apartment balcony, even in winter.\n", StandardOpenOption.APPEND);
            awaitAnswer(cluster, work, "worm bin on a balcony", answer -> answer.contains("Worm bins"));
            assertThat(cluster.get("/jobs/overview")).contains("\"state\":\"RUNNING\"");
            // progress where a cluster user looks: the operators' own lines in the TaskManager's log (a session
            // cluster ignores the metric reporter the job's configuration names, so that printed nothing here)
            String log = cluster.taskManagerLog();
            assertThat(log).containsPattern("\\[flink-rag] folder source 1/1: files read [1-9]")
                    .containsPattern("\\[flink-rag] chunker 1/1: document changes \\d+")
                    .containsPattern("\\[flink-rag] embedding with all-minilm-l6-v2-q: texts embedded [1-9]\\d*")
                    .containsPattern("\\[flink-rag] sink .*: entries written [1-9]\\d*");
        }
    }

    /**
     * The same job reading the folder from S3 through Flink's S3 plugin, set up as a user would: the plugin jar in
     * the cluster's {@code plugins/s3-fs-hadoop/}, the endpoint and keys in {@code config.yaml}. The bucket is served
     * by an S3 server on loopback; an object uploaded again with new text reaches the index, a deleted one leaves it.
     */
    @Test
    void aFolderInS3IsIndexedThroughFlinksS3Plugin() throws Exception {
        try (S3Server s3 = S3Server.start(Files.createDirectories(temp.resolve("s3")))) {
            s3.createBucket("handbook");
            s3.upload(SAMPLES, "handbook", "docs/");
            Path work = temp.resolve("work");
            Map<String, String> settings = Map.of(
                    "s3.endpoint", s3.endpoint(),
                    "s3.path.style.access", "true",
                    "s3.endpoint.region", "us-east-1",
                    "s3.access-key", S3Server.ACCESS_KEY,
                    "s3.secret-key", S3Server.SECRET_KEY);
            Path plugin = Path.of(System.getProperty("s3.plugin.jar"));
            try (FlinkSessionCluster cluster = FlinkSessionCluster.start(
                    Files.createDirectories(temp.resolve("flink")), settings, Map.of("s3-fs-hadoop", plugin))) {
                String submitted = cluster.submit(JAR, "s3://handbook/docs", "--work-dir", work.toString(),
                        "--scan-interval-ms", "1000");
                assertThat(submitted).contains("Job has been submitted with JobID");

                awaitAnswer(cluster, work, "why does my coffee taste bitter",
                        answer -> answer.contains("kitchen/coffee-extraction.md"));

                s3.put("handbook", "docs/home/composting.md", Files.readString(SAMPLES.resolve("home/composting.md"))
                        + "\n\nWorm bins turn kitchen scraps into castings on an apartment balcony, even in winter.\n");
                awaitAnswer(cluster, work, "worm bin on a balcony", answer -> answer.contains("Worm bins"));
                s3.delete("handbook", "docs/nature/glaciers.md");
                awaitAnswer(cluster, work, "how do glaciers move and form crevasses",
                        answer -> answer.contains(".md #") && !answer.contains("nature/glaciers.md"));
                assertThat(cluster.get("/jobs/overview")).contains("\"state\":\"RUNNING\"");
                assertThat(cluster.logs()).doesNotContain(S3Server.SECRET_KEY);
            }
        }
    }

    private void awaitAnswer(FlinkSessionCluster cluster, Path work, String question, Predicate<String> expected)
            throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String answer = "";
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(work.resolve("index"))) {
                Process query = new ProcessBuilder("java", "-jar", JAR.toString(), "query", question,
                        "--work-dir", work.toString(), "--k", "1").redirectErrorStream(true).start();
                answer = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (query.waitFor() == 0 && expected.test(answer)) {
                    return;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no expected answer to '" + question + "'; last:\n" + answer + "\n" + cluster.logs());
    }
}
