package dev.flinkrag.chunking;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into chunks of at most {@code maxTokens} whose boundaries depend on the local text only, so
 * that editing one paragraph changes the chunk holding it (and at most a neighbour) instead of shifting
 * every later boundary, as greedy fixed-size packing does.
 *
 * <p>The text is cut into units: paragraphs, or the sentences (then word runs) of a paragraph too long
 * for one chunk. Every gap between two units gets a score from a hash of the unit after it, and gaps at
 * paragraph breaks outrank gaps inside paragraphs. A span of units that fits the budget is one chunk;
 * a span that does not is cut at its highest-scoring gap and each side is treated the same way. The
 * chunks are thus the largest fitting nodes of a tree fixed by the units' own content: an edit only
 * touches the nodes above the edited unit, and an inserted paragraph does not move any other gap.
 *
 * <p>Token counts come from the embedding model's tokenizer. WordPiece tokenizers do not count white
 * space, so the count of a span is the sum of its units' counts and each chunk keeps the original text
 * between its first and last unit, formatting included.
 */
public final class EditStableSplitter implements DocumentSplitter {

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n\\s*");
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final long PARAGRAPH_PRIORITY = 1L << 62;

    private final TokenCountEstimator tokens;
    private final int maxTokens;

    public EditStableSplitter(TokenCountEstimator tokens, int maxTokens) {
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        }
        this.tokens = tokens;
        this.maxTokens = maxTokens;
    }

    @Override
    public List<TextSegment> split(Document document) {
        List<TextSegment> segments = new ArrayList<>();
        for (String chunk : split(document.text())) {
            segments.add(TextSegment.from(chunk, document.metadata().copy()));
        }
        return segments;
    }

    /** The chunk texts of {@code text}, in order; blank text has none. */
    public List<String> split(String text) {
        List<Unit> units = units(text);
        List<String> chunks = new ArrayList<>();
        if (!units.isEmpty()) {
            long[] prefixTokens = new long[units.size() + 1];
            for (int i = 0; i < units.size(); i++) {
                prefixTokens[i + 1] = prefixTokens[i] + units.get(i).tokens;
            }
            cut(text, units, prefixTokens, 0, units.size(), chunks);
        }
        return chunks;
    }

    /** Chunks of units [from, to): one chunk if they fit, else cut at the best gap and recurse. */
    private void cut(String text, List<Unit> units, long[] prefixTokens, int from, int to, List<String> chunks) {
        if (prefixTokens[to] - prefixTokens[from] <= maxTokens || to - from == 1) {
            chunks.add(text.substring(units.get(from).start, units.get(to - 1).end));
            return;
        }
        int best = from + 1;
        for (int gap = from + 2; gap < to; gap++) {
            if (units.get(gap).gapScore > units.get(best).gapScore) {
                best = gap;
            }
        }
        cut(text, units, prefixTokens, from, best, chunks);
        cut(text, units, prefixTokens, best, to, chunks);
    }

    private List<Unit> units(String text) {
        List<Unit> units = new ArrayList<>();
        Matcher breaks = PARAGRAPH_BREAK.matcher(text);
        int start = 0;
        while (start < text.length()) {
            int end = breaks.find(start) ? breaks.start() : text.length();
            int next = end == text.length() ? end : breaks.end();
            addParagraph(text, trimStart(text, start, end), trimEnd(text, start, end), units);
            start = next;
        }
        return units;
    }

    private void addParagraph(String text, int start, int end, List<Unit> units) {
        if (start >= end) {
            return;
        }
        int count = tokens.estimateTokenCountInText(text.substring(start, end));
        if (count <= maxTokens) {
            units.add(new Unit(start, end, count, score(text, start, end, true)));
            return;
        }
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text.substring(start, end));
        boolean first = true;
        for (int from = sentences.first(), to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
            int s = trimStart(text, start + from, start + to);
            int e = trimEnd(text, start + from, start + to);
            if (s < e) {
                addSentence(text, s, e, first, units);
                first = false;
            }
        }
    }

    /** A sentence over the budget becomes runs of whole words, each within the budget. */
    private void addSentence(String text, int start, int end, boolean paragraphStart, List<Unit> units) {
        int count = tokens.estimateTokenCountInText(text.substring(start, end));
        if (count <= maxTokens) {
            units.add(new Unit(start, end, count, score(text, start, end, paragraphStart)));
            return;
        }
        Matcher words = WORD.matcher(text).region(start, end);
        int runStart = -1;
        int runEnd = -1;
        int runTokens = 0;
        while (words.find()) {
            int wordTokens = tokens.estimateTokenCountInText(words.group());
            if (runStart >= 0 && runTokens + wordTokens > maxTokens) {
                units.add(new Unit(runStart, runEnd, runTokens, score(text, runStart, runEnd, paragraphStart)));
                paragraphStart = false;
                runStart = -1;
                runTokens = 0;
            }
            if (runStart < 0) {
                runStart = words.start();
            }
            if (wordTokens > maxTokens) {
                throw new IllegalArgumentException(String.format(
                        "a single word of %d tokens exceeds the chunk budget of %d tokens", wordTokens, maxTokens));
            }
            runEnd = words.end();
            runTokens += wordTokens;
        }
        if (runStart >= 0) {
            units.add(new Unit(runStart, runEnd, runTokens, score(text, runStart, runEnd, paragraphStart)));
        }
    }

    private static long score(String text, int start, int end, boolean paragraphStart) {
        long hash = hash(text.substring(start, end)) & (PARAGRAPH_PRIORITY - 1);
        return paragraphStart ? hash | PARAGRAPH_PRIORITY : hash;
    }

    private static long hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            long hash = 0;
            for (int i = 0; i < 8; i++) {
                hash = (hash << 8) | (digest[i] & 0xFF);
            }
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static int trimStart(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        return start;
    }

    private static int trimEnd(String text, int start, int end) {
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** A paragraph, sentence or word run: [start, end) in the text, its tokens, and the score of the gap before it. */
    private record Unit(int start, int end, int tokens, long gapScore) {}
}
