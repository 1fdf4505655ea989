package dev.flinkrag.serving.status;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The indexing job's figures that the index does not hold — dead letters and the embedding cache's hit rate — read
 * from the job's metrics through Flink's REST API ({@code /jobs/overview}, then each vertex's aggregated subtask
 * metrics). Flink's own metric fetcher refreshes those every {@code metrics.fetcher.update-interval} (10 s by
 * default), and this class keeps an answer for {@link #CACHE_FOR}, so a page refreshing every few seconds costs the
 * JobManager one round of calls per interval. A job that cannot be reached is a figure ({@code error}), never a
 * failed request: the index stays servable while the job restarts.
 */
@PublicEvolving
public final class PipelineStatus {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineStatus.class);

    public static final ConfigOption<String> REST_URL = ConfigOptions.key("pipeline.rest-url")
            .stringType()
            .noDefaultValue()
            .withDescription("Flink REST address of the cluster running the indexing job (e.g. http://jobmanager:8081). "
                    + "Unset: /v1/statistics and the status page show no dead letters or cache hit rate.");

    public static final ConfigOption<String> JOB_NAME = ConfigOptions.key("pipeline.job-name")
            .stringType()
            .noDefaultValue()
            .withDescription("Name (or the start of the name) of the indexing job; unset: the most recently started running job.");

    public static final List<ConfigOption<?>> OPTIONS = List.of(REST_URL, JOB_NAME);

    static final Duration CACHE_FOR = Duration.ofSeconds(2);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    /** What the job's counters say, summed over its subtasks. */
    public record Figures(String job, String state, long deadLetters, long cacheHits, long cacheMisses) {

        /** Hits over lookups, {@code null} before the first lookup. */
        public Double cacheHitRate() {
            long lookups = cacheHits + cacheMisses;
            return lookups == 0 ? null : (double) cacheHits / lookups;
        }
    }

    private final URI restUrl;
    private final Optional<String> jobName;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final LoadingCache<String, Map<String, Object>> cached =
            Caffeine.newBuilder().expireAfterWrite(CACHE_FOR).build(key -> read());

    private PipelineStatus(URI restUrl, Optional<String> jobName) {
        this.restUrl = restUrl;
        this.jobName = jobName;
    }

    /** The status of the job the options name, or none when {@code pipeline.rest-url} is unset. */
    public static Optional<PipelineStatus> fromOptions(ReadableConfig options) {
        return options.getOptional(REST_URL).map(url -> {
            URI uri;
            try {
                uri = URI.create(url.endsWith("/") ? url : url + "/");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option 'pipeline.rest-url' is not a URL: " + e.getMessage(), e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("option 'pipeline.rest-url' must be an http(s) URL, got '" + url + "'");
            }
            return new PipelineStatus(uri, options.getOptional(JOB_NAME));
        });
    }

    /**
     * The figures as a JSON-ready map: {@code job}, {@code state}, {@code dead_letters},
     * {@code embedding_cache_hits}, {@code embedding_cache_misses}, {@code embedding_cache_hit_rate}; or
     * {@code error} when the job cannot be read.
     */
    public Map<String, Object> asMap() {
        return cached.get("status");
    }

    private Map<String, Object> read() {
        Map<String, Object> status = new LinkedHashMap<>();
        try {
            Figures figures = figures();
            status.put("job", figures.job());
            status.put("state", figures.state());
            status.put("dead_letters", figures.deadLetters());
            status.put("embedding_cache_hits", figures.cacheHits());
            status.put("embedding_cache_misses", figures.cacheMisses());
            status.put("embedding_cache_hit_rate", figures.cacheHitRate());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the indexing job's metrics from {}: {}", restUrl, e.getMessage());
            status.put("error", "cannot read the indexing job's metrics from " + restUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.put("error", "interrupted");
        }
        return status;
    }

    /** Reads the figures now, without the cache. */
    public Figures figures() throws IOException, InterruptedException {
        JsonNode job = job();
        String id = job.path("jid").asText();
        long deadLetters = 0;
        long cacheHits = 0;
        long cacheMisses = 0;
        for (JsonNode vertex : get("jobs/" + id).path("vertices")) {
            String metrics = "jobs/" + id + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> wanted = new ArrayList<>();
            for (JsonNode metric : get(metrics)) {
                String name = metric.path("id").asText();
                if (countsDeadLetters(name) || name.endsWith(".embedding.cacheHits")
                        || name.endsWith(".embedding.cacheMisses")) {
                    wanted.add(name);
                }
            }
            if (wanted.isEmpty()) {
                continue;
            }
            String query = "?agg=sum&get=" + URLEncoder.encode(String.join(",", wanted), StandardCharsets.UTF_8);
            for (JsonNode metric : get(metrics + query)) {
                String name = metric.path("id").asText();
                long sum = Math.round(metric.path("sum").asDouble());
                if (countsDeadLetters(name)) {
                    deadLetters += sum;
                } else if (name.endsWith(".cacheHits")) {
                    cacheHits += sum;
                } else {
                    cacheMisses += sum;
                }
            }
        }
        return new Figures(job.path("name").asText(), job.path("state").asText(), deadLetters, cacheHits, cacheMisses);
    }

    /** The counters of records sent to dead letters: parsing, chunking, the SQL tables, and texts the model refused. */
    private static boolean countsDeadLetters(String metric) {
        return metric.endsWith(".deadLetters") || metric.endsWith(".embedding.rejected");
    }

    /** The running job the options name (the newest when several match), else the newest one that matches. */
    private JsonNode job() throws IOException, InterruptedException {
        JsonNode best = null;
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            if (jobName.isPresent() && !job.path("name").asText().startsWith(jobName.get())) {
                continue;
            }
            if (best == null || rank(job) > rank(best)) {
                best = job;
            }
        }
        if (best == null) {
            throw new IOException(jobName.map(name -> "no job named '" + name + "…'").orElse("no job"));
        }
        return best;
    }

    /** Running jobs first, then the most recently started. */
    private static double rank(JsonNode job) {
        return ("RUNNING".equals(job.path("state").asText()) ? 1e15 : 0) + job.path("start-time").asDouble();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(restUrl.resolve(path)).timeout(CALL_TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /" + path.replaceAll("\\?.*", "") + " answered HTTP " + response.statusCode());
        }
        return json.readTree(response.body());
    }
}
