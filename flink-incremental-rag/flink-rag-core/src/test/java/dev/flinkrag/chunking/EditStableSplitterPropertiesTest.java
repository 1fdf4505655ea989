package dev.flinkrag.chunking;

import dev.flinkrag.embedding.onnx.InProcessModels;

import dev.langchain4j.model.TokenCountEstimator;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For any text, including long runs without white space, control characters, lone surrogates and marks: no
 * exception, every chunk within the token budget and the character limit, the same chunks every time, and every
 * letter and digit of the text kept, in order.
 */
class EditStableSplitterPropertiesTest {

    private static final TokenCountEstimator TOKENS = InProcessModels.allMiniLmL6V2QTokenizer().create();

    @Property(tries = 500)
    void everyTextSplitsWithinTheBudgetDeterministically(
            @ForAll("hostileTexts") String text, @ForAll @IntRange(min = 8, max = 320) int budget) {
        EditStableSplitter splitter = new EditStableSplitter(TOKENS, budget);

        List<String> chunks = splitter.split(text);

        assertThat(splitter.split(text)).isEqualTo(chunks);
        for (String chunk : chunks) {
            assertThat(TOKENS.estimateTokenCountInText(chunk)).as("tokens of %s", chunk).isLessThanOrEqualTo(budget);
            assertThat(chunk.length()).isLessThanOrEqualTo(budget * EditStableSplitter.CHARS_PER_TOKEN);
            assertThat(chunk).isEqualTo(StoreSafeText.of(chunk)).isNotBlank();
            assertThat(lettersAndDigits(chunk)).isNotEmpty();
        }
        assertThat(lettersAndDigits(String.join("", chunks))).isEqualTo(lettersAndDigits(StoreSafeText.of(text)));
    }

    @Provide
    Arbitrary<String> hostileTexts() {
        Arbitrary<String> fragment = Arbitraries.oneOf(
                Arbitraries.of("the", "grind", "espresso", "water", "Überweisung", "naïve", "日本語の文章", "مرحبا",
                        "שלום", "🎉", "👩‍👩‍👧", "e\u0301", "\u200F", "1,234.56", "https://img.shields.io/badge/x-y-green"),
                Arbitraries.strings().withChars("0123456789ABCDEF:").ofMinLength(50).ofMaxLength(1_500),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=")
                        .ofMinLength(100).ofMaxLength(5_000),
                Arbitraries.strings().withChars("!?.,;:-*#|`~_()[]{}").ofMinLength(1).ofMaxLength(300),
                Arbitraries.strings().withChars(" \t\n\r\f\u00A0\u2003\u3000").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withCharRange('\u0000', '\u001F').ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().withCharRange('\uD800', '\uDFFF').ofMinLength(1).ofMaxLength(3),
                Arbitraries.strings().withCharRange('\u0300', '\u036F').ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.just(". "), Arbitraries.just("\n\n"), Arbitraries.just("\n"));
        return fragment.list().ofMinSize(0).ofMaxSize(120).map(parts -> String.join(" ", parts));
    }

    private static String lettersAndDigits(String text) {
        StringBuilder kept = new StringBuilder();
        text.codePoints().filter(Character::isLetterOrDigit).forEach(kept::appendCodePoint);
        return kept.toString();
    }
}
