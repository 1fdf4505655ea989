package dev.flinkrag.embedding;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCounterTest {

    private final TokenCounter words = new TokenCounter(BatchingEmbeddingFunctionITCase.WORDS);

    @Test
    void cutsAtTheLastWholeWordThatFits() {
        assertThat(words.truncate("one two  three\nfour five", 3)).isEqualTo("one two  three");
        assertThat(words.truncate("one two", 5)).isEqualTo("one two");
        assertThat(words.truncate("   ", 2)).isNull();
    }

    @Test
    void aTextWhoseFirstWordDoesNotFitCannotBeCut() {
        TokenCounter wordPiece = new TokenCounter(new HuggingFaceTokenCountEstimator());
        assertThat(wordPiece.truncate("antidisestablishmentarianism is long", 2)).isNull();
        String cut = wordPiece.truncate("The quick brown fox jumps over the lazy dog again and again", 5);
        assertThat(cut).isEqualTo("The quick brown fox jumps");
    }

    @Test
    void estimatesFourCharactersPerTokenWithoutATokenizer() {
        TokenCounter estimate = new TokenCounter(null);
        assertThat(estimate.isExact()).isFalse();
        assertThat(estimate.count("12345678")).isEqualTo(2);
        assertThat(estimate.count("123456789")).isEqualTo(3);
    }
}
