package dev.flinkrag.embedding;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.OptionalInt;

/** Embedding models that run inside the JVM with no network and no key. */
public final class InProcessModels {

    /** Tokens all-MiniLM-L6-v2-q reads per text, not counting [CLS] and [SEP]; it silently cuts the rest. */
    public static final int ALL_MINILM_L6_V2_Q_MAX_TOKENS = 126;

    public static final int ALL_MINILM_L6_V2_Q_DIMENSION = 384;

    private InProcessModels() {}

    /** all-MiniLM-L6-v2, quantized: 384 dimensions, shared by every task of the JVM (it is thread-safe). */
    public static EmbeddingModelProvider allMiniLmL6V2Q() {
        return new AllMiniLmL6V2QProvider();
    }

    /**
     * Counts tokens the way all-MiniLM-L6-v2 sees them (BERT uncased WordPiece, without [CLS]/[SEP]),
     * so chunks can be sized to what the model actually reads.
     */
    public static TokenCountEstimatorProvider allMiniLmL6V2QTokenizer() {
        return SharedTokenizer::instance;
    }

    private static final class SharedTokenizer {
        static final TokenCountEstimator INSTANCE = new HuggingFaceTokenCountEstimator();

        static TokenCountEstimator instance() {
            return INSTANCE;
        }
    }

    private static final class AllMiniLmL6V2QProvider implements EmbeddingModelProvider {
        private static final long serialVersionUID = 1L;

        @Override
        public EmbeddingModel create() {
            return SharedModel.INSTANCE;
        }

        @Override
        public String modelId() {
            return "all-minilm-l6-v2-q";
        }

        @Override
        public OptionalInt maxInputTokens() {
            return OptionalInt.of(ALL_MINILM_L6_V2_Q_MAX_TOKENS);
        }

        /** Loading the ONNX session costs ~1 s and ~90 MB, so every task slot of a JVM shares one. */
        private static final class SharedModel {
            static final EmbeddingModel INSTANCE = new AllMiniLmL6V2QuantizedEmbeddingModel();
        }
    }
}
