package dev.flinkrag.chunking;

import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.testing.SingleParagraphEdits;
import dev.flinkrag.testing.TextCorpus;

import dev.langchain4j.model.TokenCountEstimator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunking goals on real text (prose and technical Markdown, with and without paragraph breaks): chunks hold at
 * least 60 % of the budget on average, and each kind of single-paragraph edit re-embeds at most 2 chunks on
 * average, 3 at the 90th percentile and 8 at most. ChunkStabilityBenchmark measures the same on the whole corpus,
 * next to other splitters.
 */
class EditStableSplitterCorpusTest {

    private static final TokenCountEstimator TOKENS = InProcessModels.allMiniLmL6V2QTokenizer().create();
    private static final int DOCUMENTS = 8;
    private static final int EDITS_PER_DOCUMENT = 4;

    @ParameterizedTest(name = "budget {0}, paragraph breaks {1}")
    @CsvSource({"100, true", "100, false", "300, true", "300, false"})
    void chunksAreFullAndEditsStayLocal(int budget, boolean paragraphBreaks) {
        EditStableSplitter splitter = new EditStableSplitter(TOKENS, budget);
        List<TextCorpus.Text> corpus = TextCorpus.all();
        List<TextCorpus.Text> documents = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i += corpus.size() / DOCUMENTS) {
            documents.add(corpus.get(i));
        }
        assertThat(documents).anyMatch(text -> text.name().startsWith("rust-book/"));

        long chunks = 0;
        long chunkTokens = 0;
        for (TextCorpus.Text document : documents) {
            for (String chunk : splitter.split(SingleParagraphEdits.render(document.paragraphs(), paragraphBreaks))) {
                int tokens = TOKENS.estimateTokenCountInText(chunk);
                assertThat(tokens).isLessThanOrEqualTo(budget);
                chunkTokens += tokens;
                chunks++;
            }
        }
        assertThat((double) chunkTokens / chunks).as("mean chunk tokens").isGreaterThanOrEqualTo(0.6 * budget);

        for (SingleParagraphEdits.Kind kind : SingleParagraphEdits.Kind.values()) {
            SingleParagraphEdits edits = new SingleParagraphEdits(budget * 7L + kind.ordinal(), corpus.subList(1, 3),
                    TOKENS, budget);
            TreeMap<Integer, Integer> reembedded = edits.reembedded(documents, kind, EDITS_PER_DOCUMENT,
                    paragraphBreaks, splitter::split, new long[1]);
            assertThat(SingleParagraphEdits.mean(reembedded)).as("%s: mean of %s", kind, reembedded).isLessThanOrEqualTo(2.0);
            assertThat(SingleParagraphEdits.percentile(reembedded, 0.9)).as("%s: p90 of %s", kind, reembedded)
                    .isLessThanOrEqualTo(3);
            assertThat(reembedded.lastKey()).as("%s: max of %s", kind, reembedded).isLessThanOrEqualTo(8);
        }
    }
}
