package dev.flinkrag.embedding.onnx;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The tuned one-thread sessions give the same vectors as LangChain4j's own model classes. */
class InProcessModelsTest {

    private static final List<TextSegment> TEXTS = List.of(
            TextSegment.from("Bitter coffee usually means the grounds were extracted for too long."),
            TextSegment.from("A sourdough starter needs flour, water and patience."),
            TextSegment.from("Flink checkpoints make state durable."));

    @Test
    void allMiniLmMatchesLangChain4jsModel() {
        assertSameVectors(InProcessModels.allMiniLmL6V2Q().create(), new AllMiniLmL6V2QuantizedEmbeddingModel(), 384);
    }

    @Test
    void bgeSmallMatchesLangChain4jsModel() {
        assertSameVectors(InProcessModels.bgeSmallEnV15Q().create(), new BgeSmallEnV15QuantizedEmbeddingModel(), 384);
    }

    /** bge reads far more than MiniLM's 126 tokens: text past 126 tokens still changes its vector. */
    @Test
    void bgeReadsPastMiniLmsLimit() {
        String words = "river ".repeat(150);
        String longer = words + "volcano eruption lava";
        EmbeddingModel bge = InProcessModels.bgeSmallEnV15Q().create();
        EmbeddingModel miniLm = InProcessModels.allMiniLmL6V2Q().create();
        assertThat(cosine(bge.embed(words).content(), bge.embed(longer).content())).isLessThan(0.9999);
        assertThat(cosine(miniLm.embed(words).content(), miniLm.embed(longer).content())).isGreaterThan(0.99999);
    }

    private static void assertSameVectors(EmbeddingModel tuned, EmbeddingModel reference, int dimension) {
        assertThat(tuned.dimension()).isEqualTo(dimension);
        List<Embedding> ours = tuned.embedAll(TEXTS).content();
        List<Embedding> theirs = reference.embedAll(TEXTS).content();
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] expected = theirs.get(i).vector();
            float[] actual = ours.get(i).vector();
            assertThat(actual).hasSize(dimension);
            for (int d = 0; d < dimension; d++) {
                assertThat(actual[d]).isCloseTo(expected[d], within(1e-5f));
            }
        }
    }

    private static double cosine(Embedding a, Embedding b) {
        double dot = 0;
        for (int i = 0; i < a.vector().length; i++) {
            dot += a.vector()[i] * b.vector()[i];
        }
        return dot; // both are normalised
    }
}
