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
 * that editing one paragraph changes the chunk holding it instead of shifting every later boundary, as
 * greedy fixed-size packing does.
 *
 * <ul>
 *   <li>A paragraph that fits the budget is one chunk. Paragraphs under {@code maxTokens / 8} tokens
 *       (headings, short lines) join the paragraph after them while the total fits, so they are not
 *       embedded alone; nothing else is merged, so no edit can regroup its neighbours.
 *   <li>A longer paragraph is cut into sentences (and a sentence over the budget into word runs). Each gap
 *       between two sentences gets a score from a hash of the first words after it. A span that fits is one
 *       chunk; a span that does not is cut at its highest-scoring gap, and each side is treated the same
 *       way. Chunks are thus the largest fitting nodes of a tree fixed by the sentences' own words: an edit
 *       touches only the nodes above the edited sentence, and an edit that keeps a sentence's first words
 *       moves no gap at all.
 * </ul>
 *
 * <p>Token counts come from the embedding model's tokenizer. WordPiece tokenizers do not count white
 * space, so the count of a span is the sum of its units' counts, and each chunk keeps the original text
 * between its first and last unit, formatting included.
 */
public final class EditStableSplitter implements DocumentSplitter {

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n\\s*");
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final int SCORED_WORDS = 6;

    private final TokenCountEstimator tokens;
    private final int maxTokens;
    private final int smallTokens;

    public EditStableSplitter(TokenCountEstimator tokens, int maxTokens) {
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        }
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.smallTokens = maxTokens / 8;
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
        List<String> chunks = new ArrayList<>();
        Unit pendingSmall = null;
        for (Unit paragraph : paragraphs(text)) {
            if (paragraph.tokens > maxTokens) {
                if (pendingSmall != null) {
                    chunks.add(pendingSmall.text(text));
                    pendingSmall = null;
                }
                splitLongParagraph(text, paragraph, chunks);
                continue;
            }
            Unit group = paragraph;
            if (pendingSmall != null) {
                if (pendingSmall.tokens + paragraph.tokens <= maxTokens) {
                    group = new Unit(pendingSmall.start, paragraph.end, pendingSmall.tokens + paragraph.tokens, 0);
                } else {
                    chunks.add(pendingSmall.text(text));
                }
            }
            pendingSmall = null;
            if (paragraph.tokens < smallTokens) {
                pendingSmall = group;
            } else {
                chunks.add(group.text(text));
            }
        }
        if (pendingSmall != null) {
            chunks.add(pendingSmall.text(text));
        }
        return chunks;
    }

    private List<Unit> paragraphs(String text) {
        List<Unit> paragraphs = new ArrayList<>();
        Matcher breaks = PARAGRAPH_BREAK.matcher(text);
        int start = 0;
        while (start < text.length()) {
            int end = breaks.find(start) ? breaks.start() : text.length();
            int next = end == text.length() ? end : breaks.end();
            int s = trimStart(text, start, end);
            int e = trimEnd(text, start, end);
            if (s < e) {
                paragraphs.add(new Unit(s, e, tokens.estimateTokenCountInText(text.substring(s, e)), 0));
            }
            start = next;
        }
        return paragraphs;
    }

    private void splitLongParagraph(String text, Unit paragraph, List<String> chunks) {
        List<Unit> units = new ArrayList<>();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text.substring(paragraph.start, paragraph.end));
        for (int from = sentences.first(), to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
            int s = trimStart(text, paragraph.start + from, paragraph.start + to);
            int e = trimEnd(text, paragraph.start + from, paragraph.start + to);
            if (s < e) {
                addSentence(text, s, e, units);
            }
        }
        long[] prefixTokens = new long[units.size() + 1];
        for (int i = 0; i < units.size(); i++) {
            prefixTokens[i + 1] = prefixTokens[i] + units.get(i).tokens;
        }
        cut(text, units, prefixTokens, 0, units.size(), chunks);
    }

    /**
     * Chunks of units [from, to): one chunk if they fit, else cut at the best gap and recurse. The best gap
     * is the highest-scoring one that leaves two fitting halves, if there is one: a span that just grew
     * past the budget then becomes two chunks, not three.
     */
    private void cut(String text, List<Unit> units, long[] prefixTokens, int from, int to, List<String> chunks) {
        if (prefixTokens[to] - prefixTokens[from] <= maxTokens || to - from == 1) {
            chunks.add(text.substring(units.get(from).start, units.get(to - 1).end));
            return;
        }
        int best = -1;
        boolean bestHalvesFit = false;
        for (int gap = from + 1; gap < to; gap++) {
            boolean halvesFit = prefixTokens[gap] - prefixTokens[from] <= maxTokens
                    && prefixTokens[to] - prefixTokens[gap] <= maxTokens;
            boolean better = best < 0
                    || (halvesFit && !bestHalvesFit)
                    || (halvesFit == bestHalvesFit && units.get(gap).gapScore > units.get(best).gapScore);
            if (better) {
                best = gap;
                bestHalvesFit = halvesFit;
            }
        }
        cut(text, units, prefixTokens, from, best, chunks);
        cut(text, units, prefixTokens, best, to, chunks);
    }

    /** A sentence over the budget becomes runs of whole words, each within the budget. */
    private void addSentence(String text, int start, int end, List<Unit> units) {
        int count = tokens.estimateTokenCountInText(text.substring(start, end));
        if (count <= maxTokens) {
            units.add(new Unit(start, end, count, score(text, start, end)));
            return;
        }
        Matcher words = WORD.matcher(text).region(start, end);
        int runStart = -1;
        int runEnd = -1;
        int runTokens = 0;
        while (words.find()) {
            int wordTokens = tokens.estimateTokenCountInText(words.group());
            if (wordTokens > maxTokens) {
                throw new IllegalArgumentException(String.format(
                        "a single word of %d tokens exceeds the chunk budget of %d tokens", wordTokens, maxTokens));
            }
            if (runStart >= 0 && runTokens + wordTokens > maxTokens) {
                units.add(new Unit(runStart, runEnd, runTokens, score(text, runStart, runEnd)));
                runStart = -1;
                runTokens = 0;
            }
            if (runStart < 0) {
                runStart = words.start();
            }
            runEnd = words.end();
            runTokens += wordTokens;
        }
        if (runStart >= 0) {
            units.add(new Unit(runStart, runEnd, runTokens, score(text, runStart, runEnd)));
        }
    }

    /** Score of the gap before a unit: a hash of its first words, so edits further in do not move gaps. */
    private static long score(String text, int start, int end) {
        Matcher words = WORD.matcher(text).region(start, end);
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < SCORED_WORDS && words.find(); i++) {
            first.append(words.group()).append(' ');
        }
        return hash(first.toString());
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
    private record Unit(int start, int end, int tokens, long gapScore) {
        String text(String document) {
            return document.substring(start, end);
        }
    }
}
