package dev.flinkrag.benchmarks;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingModels;
import dev.flinkrag.embedding.EmbeddingOperators;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.EmbeddingRequestMapper;
import dev.flinkrag.embedding.FakeEmbeddingServer;

import dev.langchain4j.model.embedding.EmbeddingModel;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P6: HTTP requests per chunk sent to an OpenAI-compatible server (on loopback, speaking the real wire
 * protocol) by the embedding operator with its defaults, against one request per row, which is what
 * Flink's {@code ML_PREDICT} with the OpenAI provider does. Same texts, same server, same process.
 *
 * <p>Prints the figures and writes them to {@code <results dir>/requests-per-chunk.md}.
 */
public final class RequestsPerChunkBenchmark {

    private static final int CHUNKS = 4096;

    private RequestsPerChunkBenchmark() {}

    /** Texts as strings; every one needs an embedding. */
    static final class TextMapper implements EmbeddingRequestMapper<String, Integer> {
        @Override
        public String textToEmbed(String text) {
            return text;
        }

        @Override
        public Integer withVector(String text, float[] vector) {
            return vector.length;
        }
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            texts.add("Chunk " + i + " of a document that changed: a paragraph of text to embed.");
        }
        try (FakeEmbeddingServer server = new FakeEmbeddingServer()) {
            EmbeddingModelProvider model = EmbeddingModels.fromOptions(Map.of("model.provider", "openai",
                    "model.base-url", server.baseUrl(), "model.name", "benchmark-model"));

            // baseline: one request per row
            EmbeddingModel perRow = model.create();
            int before = server.requests.get();
            for (String text : texts) {
                perRow.embed(text);
            }
            int perRowRequests = server.requests.get() - before;

            // the operator, defaults only (cache off: every text is new here anyway)
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            before = server.requests.get();
            long embedded = EmbeddingOperators.embed(env.fromData(texts), model, new TextMapper(),
                            EmbeddingOptions.builder().cacheMaxBytes(0).build(), Types.INT)
                    .embedded()
                    .executeAndCollect(CHUNKS + 1).size();
            int operatorRequests = server.requests.get() - before;

            double operatorPerChunk = (double) operatorRequests / CHUNKS;
            double perRowPerChunk = (double) perRowRequests / CHUNKS;
            String report = String.format("""
                    # P6: HTTP requests per chunk, OpenAI-compatible server on loopback

                    %d chunks, embedding operator with default options (batches of %d, linger %d ms, parallelism 2)
                    against one request per row (Flink ML_PREDICT's behaviour), same server, same run.
                    %s

                    | path | requests | requests per chunk |
                    |---|---|---|
                    | one request per row | %d | %.4f |
                    | flink-rag embedding operator | %d | %.4f |

                    Ratio operator / per-row: %.4f (goal <= 1/32 = 0.03125). Chunks out of the operator: %d.
                    Operator requests include one dimension probe per parallel instance.
                    """, CHUNKS, EmbeddingOptions.DEFAULTS.maxBatchSize(), EmbeddingOptions.DEFAULTS.linger().toMillis(),
                    Results.provenance(RequestsPerChunkBenchmark.class),
                    perRowRequests, perRowPerChunk, operatorRequests, operatorPerChunk,
                    operatorPerChunk / perRowPerChunk, embedded);
            Results.write(results, "requests-per-chunk", RequestsPerChunkBenchmark.class, report, Map.of(
                    "chunks", CHUNKS, "perRowRequests", perRowRequests, "operatorRequests", operatorRequests,
                    "ratio", operatorPerChunk / perRowPerChunk));
        }
    }
}
