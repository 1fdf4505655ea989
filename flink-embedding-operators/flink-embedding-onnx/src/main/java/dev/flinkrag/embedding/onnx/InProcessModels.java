package dev.flinkrag.embedding.onnx;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.TokenCountEstimatorProvider;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Embedding models that run inside the JVM with no network and no key. Each model call runs on the calling
 * thread with a one-thread ONNX session, so one concurrent batch of the operator uses one core: set
 * {@code embedding.max-concurrent-batches} to the cores per task slot, and a TaskManager never runs more
 * model threads than its slots ask for (LangChain4j's model classes start a session thread per core plus a
 * fan-out pool per model, whatever the slots). Throughput equals the library's defaults on 2 cores; see
 * {@code benchmarks} (P3).
 */
@PublicEvolving
public final class InProcessModels {

    /** Tokens all-MiniLM-L6-v2-q reads per text, not counting [CLS] and [SEP]; it silently cuts the rest. */
    public static final int ALL_MINILM_L6_V2_Q_MAX_TOKENS = 126;

    public static final int ALL_MINILM_L6_V2_Q_DIMENSION = 384;

    /** Tokens bge-small-en-v1.5-q reads per text (512 positions less [CLS] and [SEP]). */
    public static final int BGE_SMALL_EN_V15_Q_MAX_TOKENS = 510;

    public static final int BGE_SMALL_EN_V15_Q_DIMENSION = 384;

    private InProcessModels() {}

    /** all-MiniLM-L6-v2, quantized: 384 dimensions, reads 126 tokens; the offline default. */
    public static EmbeddingModelProvider allMiniLmL6V2Q() {
        return new OnnxModelProvider("all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel.class,
                "all-minilm-l6-v2-q", PoolingMode.MEAN, ALL_MINILM_L6_V2_Q_MAX_TOKENS, ALL_MINILM_L6_V2_Q_DIMENSION);
    }

    /**
     * BAAI bge-small-en-v1.5, quantized: 384 dimensions, reads 510 tokens. For retrieval, BAAI recommends
     * prefixing <em>queries</em> (not documents) with "Represent this sentence for searching relevant
     * passages: ".
     */
    public static EmbeddingModelProvider bgeSmallEnV15Q() {
        return new OnnxModelProvider("bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel.class,
                "bge-small-en-v1.5-q", PoolingMode.CLS, BGE_SMALL_EN_V15_Q_MAX_TOKENS, BGE_SMALL_EN_V15_Q_DIMENSION);
    }

    /**
     * Counts tokens the way all-MiniLM-L6-v2 (and bge-small-en-v1.5, which shares its BERT uncased
     * WordPiece vocabulary) sees them, without [CLS]/[SEP], so chunks can be sized to what the model reads.
     */
    public static TokenCountEstimatorProvider allMiniLmL6V2QTokenizer() {
        return OnnxModelProvider::sharedTokenizer;
    }
}
