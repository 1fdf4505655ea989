package dev.flinkrag.chunking;

import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.testing.Prose;

import dev.langchain4j.model.TokenCountEstimator;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EditStableSplitterTest {

    private static final TokenCountEstimator TOKENS = InProcessModels.allMiniLmL6V2QTokenizer().create();

    @Test
    void chunksStayWithinTheTokenBudgetAndKeepAllText() {
        Prose prose = new Prose(1);
        for (int budget : new int[] {100, 300}) {
            EditStableSplitter splitter = new EditStableSplitter(TOKENS, budget);
            String text = Prose.join(prose.paragraphs(80));
            List<String> chunks = splitter.split(text);
            for (String chunk : chunks) {
                assertThat(TOKENS.estimateTokenCountInText(chunk)).isLessThanOrEqualTo(budget);
            }
            assertThat(String.join(" ", chunks).replaceAll("\\s+", " "))
                    .isEqualTo(text.strip().replaceAll("\\s+", " "));
        }
    }

    @Test
    void oneHugeSentenceIsCutBetweenWordsIntoChunksAtLeastHalfFull() {
        String sentence = String.join(" ", java.util.Collections.nCopies(1000, "bridge"));
        List<String> chunks = new EditStableSplitter(TOKENS, 100).split(sentence);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk).matches("bridge( bridge)*");
            assertThat(TOKENS.estimateTokenCountInText(chunk)).isBetween(50, 100);
        });
        assertThat(String.join(" ", chunks)).isEqualTo(sentence);
    }

    @Test
    void blankTextHasNoChunks() {
        assertThat(new EditStableSplitter(TOKENS, 100).split(" \n\n \t")).isEmpty();
    }

    /** The reproduction: one "word" of 127 tokens (an SHA-512 fingerprint as openssl prints it) threw. */
    @Test
    void aFingerprintLongerThanTheBudgetIsCutAtItsColons() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-512").digest("x".getBytes(StandardCharsets.UTF_8));
        StringBuilder fingerprint = new StringBuilder();
        for (byte b : digest) {
            fingerprint.append(fingerprint.length() == 0 ? "" : ":").append(String.format("%02X", b));
        }
        String text = "The fingerprint (SHA-512) is " + fingerprint + " as openssl prints it.";
        assertThat(TOKENS.estimateTokenCountInText(fingerprint.toString())).isGreaterThan(100);

        List<String> chunks = new EditStableSplitter(TOKENS, 100).split(text);

        assertThat(chunks).hasSizeGreaterThan(1).allSatisfy(chunk -> assertThat(TOKENS.estimateTokenCountInText(chunk))
                .isLessThanOrEqualTo(100));
        assertThat(chunks.get(0)).isEqualTo("The fingerprint (SHA-512) is");
        assertThat(chunks.subList(1, chunks.size() - 1)).allSatisfy(piece -> assertThat(piece).endsWith(":"));
        assertThat(String.join("", chunks).replace(" ", "")).isEqualTo(text.replace(" ", ""));
        assertThat(new EditStableSplitter(TOKENS, 100).split(text)).isEqualTo(chunks);
    }

    /** WordPiece reads a run of over 100 letters as one token, so the character limit is what cuts a 1 MB word. */
    @Test
    void aOneMegabyteWordBecomesChunksOfBoundedSize() {
        StringBuilder word = new StringBuilder();
        java.util.Random random = new java.util.Random(11);
        while (word.length() < 1 << 20) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        List<String> chunks = new EditStableSplitter(TOKENS, 100).split("before " + word + " after");
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.length()).isLessThanOrEqualTo(100 * EditStableSplitter.CHARS_PER_TOKEN);
            assertThat(TOKENS.estimateTokenCountInText(chunk)).isLessThanOrEqualTo(100);
        });
        assertThat(String.join("", chunks).replace(" ", "")).isEqualTo("before" + word + "after");
    }

    @Test
    void aHundredThousandOneCharacterLinesSplitEvenly() {
        String text = "a\n".repeat(100_000);
        List<String> chunks = new EditStableSplitter(TOKENS, 100).split(text);
        assertThat(chunks).allSatisfy(chunk -> assertThat(TOKENS.estimateTokenCountInText(chunk)).isLessThanOrEqualTo(100));
        assertThat(String.join("\n", chunks).replace("\n", "")).hasSize(100_000);
        assertThat(chunks.size()).isLessThan(100_000 / 40);
    }

    @Test
    void textWithoutLettersOrDigitsHasNoChunks() {
        EditStableSplitter splitter = new EditStableSplitter(TOKENS, 100);
        assertThat(splitter.split("!!! ??? ... --- *** ### ``` |---|---|")).isEmpty();
        assertThat(splitter.split("\u0301\u0302 \u200F\u200E \u0000\u0001")).isEmpty();
        assertThat(splitter.split("## Heading\n\n----------\n\nA paragraph.")).containsExactly(
                "## Heading\n\n----------\n\nA paragraph.");
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesNeverReachAChunk() {
        List<String> chunks = new EditStableSplitter(TOKENS, 100)
                .split("Espresso\u0000 wants a fine\u001B grind\uD800 and \uDC00water \uD83D\uDE00.\tDone\f");
        assertThat(chunks).containsExactly("Espresso wants a fine grind\uFFFD and \uFFFDwater \uD83D\uDE00.\tDone");
    }

    @Test
    void insertingAParagraphAtTheTopKeepsLaterChunks() {
        EditStableSplitter splitter = new EditStableSplitter(TOKENS, 100);
        Prose prose = new Prose(7);
        List<String> paragraphs = prose.paragraphs(150);
        List<String> before = splitter.split(Prose.join(paragraphs));
        List<String> edited = new ArrayList<>(paragraphs);
        edited.add(0, prose.paragraph());
        List<String> after = splitter.split(Prose.join(edited));
        assertThat(newChunks(before, after)).isLessThanOrEqualTo(2);
        assertThat(after.subList(after.size() - (before.size() - 3), after.size()))
                .isEqualTo(before.subList(3, before.size()));
    }

    /** Chunks of {@code after} whose text is not already embedded in {@code before}. */
    private static int newChunks(List<String> before, List<String> after) {
        Set<String> known = new HashSet<>(before);
        return (int) after.stream().filter(chunk -> !known.contains(chunk)).distinct().count();
    }
}
