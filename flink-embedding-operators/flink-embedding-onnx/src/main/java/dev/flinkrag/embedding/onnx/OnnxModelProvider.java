package dev.flinkrag.embedding.onnx;

import dev.flinkrag.embedding.EmbeddingModelProvider;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ONNX BERT model shipped in a LangChain4j embeddings jar, loaded once per JVM (a session costs ~1 s and
 * tens of MB, and is safe to use from many threads) with one intra-op thread per call.
 */
final class OnnxModelProvider implements EmbeddingModelProvider {

    private static final long serialVersionUID = 1L;
    private static final Map<String, EmbeddingModel> MODELS = new ConcurrentHashMap<>();

    private final String modelId;
    /** A class of the jar that holds the model files, to find them with the right class loader. */
    private final Class<?> jarAnchor;
    private final String resourceName;
    private final PoolingMode pooling;
    private final int maxTokens;
    private final int dimension;

    OnnxModelProvider(String modelId, Class<?> jarAnchor, String resourceName, PoolingMode pooling, int maxTokens,
            int dimension) {
        this.modelId = modelId;
        this.jarAnchor = jarAnchor;
        this.resourceName = resourceName;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
        this.dimension = dimension;
    }

    @Override
    public EmbeddingModel create() {
        return MODELS.computeIfAbsent(modelId, id -> new SingleThreadedOnnxModel(load(), dimension));
    }

    private OnnxBertBiEncoder load() {
        NativeTokenizerLibrary.load();
        try (InputStream model = resource(resourceName + ".onnx");
                InputStream tokenizer = resource(resourceName + "-tokenizer.json");
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, pooling);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + modelId, e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load model " + modelId + " into ONNX Runtime", e);
        }
    }

    private InputStream resource(String name) {
        InputStream stream = jarAnchor.getResourceAsStream("/" + name);
        if (stream == null) {
            throw new IllegalStateException(name + " is missing from the classpath (jar of " + jarAnchor.getName() + ")");
        }
        return stream;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public OptionalInt dimension() {
        return OptionalInt.of(dimension);
    }

    @Override
    public OptionalInt maxInputTokens() {
        return OptionalInt.of(maxTokens);
    }

    @Override
    public TokenCountEstimator createTokenCountEstimator() {
        return sharedTokenizer();
    }

    static TokenCountEstimator sharedTokenizer() {
        return SharedTokenizer.INSTANCE;
    }

    @Override
    public String toString() {
        return "InProcessModel{" + modelId + "}";
    }

    private static final class SharedTokenizer {
        static final TokenCountEstimator INSTANCE = new WordPieceTokenizer();
    }

    /** Embeds the texts of one call one after another on the calling thread; callers bring the parallelism. */
    private static final class SingleThreadedOnnxModel extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;
        private final int dimension;

        SingleThreadedOnnxModel(OnnxBertBiEncoder encoder, int dimension) {
            super(Runnable::run);
            this.encoder = encoder;
            this.dimension = dimension;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return dimension;
        }
    }
}
