package dev.flinkrag.testing;

import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.TestVectors;
import dev.flinkrag.embedding.onnx.InProcessModels;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast deterministic embedder for tests: the vector is derived from a SHA-256 of the text, so equal
 * texts get equal vectors in any JVM. It counts model calls and how often each text was embedded;
 * MiniCluster tasks run in the test JVM, so the counts are visible to the test.
 */
public final class HashingEmbeddingModel implements EmbeddingModel {

    public static final int DIMENSION = 16;
    public static final AtomicInteger CALLS = new AtomicInteger();
    public static final Map<String, AtomicInteger> EMBEDDED = new ConcurrentHashMap<>();

    public static void reset() {
        CALLS.set(0);
        EMBEDDED.clear();
    }

    public static int textsEmbedded() {
        return EMBEDDED.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /**
     * A provider with a fresh model id, so each job starts with an empty embedding cache (the cache is per
     * model id and JVM, and every MiniCluster job of a test class shares the JVM).
     */
    /** The pipeline's default chunking with this model, for from-scratch oracles. */
    public static final ChunkingOptions SPLITTING =
            ChunkingOptions.defaults().withTokenizer(InProcessModels.allMiniLmL6V2QTokenizer());

    public static EmbeddingModelProvider modelProvider() {
        return modelProvider(0);
    }

    /** Like {@link #modelProvider()}, but the model refuses (HTTP 400 style) every batch holding a text {@link #refuses} picks. */
    public static EmbeddingModelProvider modelProvider(int refuseOneTextIn) {
        return modelProvider("hashing-test-model-" + UUID.randomUUID(), refuseOneTextIn);
    }

    /** A provider with the given model id: providers with equal ids share the JVM's embedding cache. */
    public static EmbeddingModelProvider modelProvider(String modelId, int refuseOneTextIn) {
        return new EmbeddingModelProvider() {
            @Override
            public EmbeddingModel create() {
                return new HashingEmbeddingModel(refuseOneTextIn);
            }

            @Override
            public String modelId() {
                return modelId;
            }

            @Override
            public OptionalInt dimension() {
                return OptionalInt.of(DIMENSION);
            }

            /** all-MiniLM-L6-v2's tokenizer, so that the pipeline chunks as {@link #SPLITTING} does. */
            @Override
            public TokenCountEstimator createTokenCountEstimator() {
                return InProcessModels.allMiniLmL6V2QTokenizer().create();
            }
        };
    }

    private final int refuseOneTextIn;

    public HashingEmbeddingModel() {
        this(0);
    }

    private HashingEmbeddingModel(int refuseOneTextIn) {
        this.refuseOneTextIn = refuseOneTextIn;
    }

    /** Whether a model made with {@code refuseOneTextIn} refuses this text: about one text in that many. */
    public static boolean refuses(int refuseOneTextIn, String text) {
        return refuseOneTextIn > 0 && Math.floorMod(text.hashCode(), refuseOneTextIn) == 0;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        CALLS.incrementAndGet();
        if (segments.stream().anyMatch(segment -> refuses(refuseOneTextIn, segment.text()))) {
            throw new InvalidRequestException("input refused by the test model");
        }
        List<Embedding> embeddings = new ArrayList<>(segments.size());
        for (TextSegment segment : segments) {
            EMBEDDED.computeIfAbsent(segment.text(), text -> new AtomicInteger()).incrementAndGet();
            embeddings.add(Embedding.from(vectorOf(segment.text())));
        }
        return Response.from(embeddings);
    }

    public static float[] vectorOf(String text) {
        return TestVectors.of(text, DIMENSION);
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }
}
