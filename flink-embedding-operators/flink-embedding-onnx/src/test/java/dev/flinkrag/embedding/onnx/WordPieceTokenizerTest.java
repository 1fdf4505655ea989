package dev.flinkrag.embedding.onnx;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WordPieceTokenizerTest {

    private static final WordPieceTokenizer TOKENIZER = new WordPieceTokenizer();

    @Test
    void countsAsLangChain4jsEstimatorDoes() {
        HuggingFaceTokenCountEstimator langChain4j = new HuggingFaceTokenCountEstimator();
        for (String text : List.of("", "Espresso wants a fine grind.", "AA:BB:CC:DD", "Grüße 🎉x 日本語 e\u0301z",
                "k".repeat(300), "https://img.shields.io/badge/build-passing-brightgreen?style=flat")) {
            assertThat(TOKENIZER.estimateTokenCountInText(text)).as(text).isEqualTo(langChain4j.estimateTokenCountInText(text));
        }
    }

    /** The tokenizer reports code points; astral characters (emoji) before a token must not shift its end. */
    @Test
    void tokenEndsAreIndicesIntoTheJavaString() {
        String text = "Grüße 🎉 日本語 AA:BB";
        int[] ends = TOKENIZER.tokenEnds(text);
        assertThat(ends).hasSize(TOKENIZER.estimateTokenCountInText(text)).isSorted();
        assertThat(text.substring(0, ends[ends.length - 1])).isEqualTo(text);
        assertThat(text.substring(0, ends[ends.length - 3])).isEqualTo("Grüße 🎉 日本語 AA");
        assertThat(text.substring(0, ends[ends.length - 2])).isEqualTo("Grüße 🎉 日本語 AA:");
    }
}
