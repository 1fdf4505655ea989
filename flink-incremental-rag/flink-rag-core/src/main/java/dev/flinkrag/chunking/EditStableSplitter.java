package dev.flinkrag.chunking;

import dev.flinkrag.embedding.TokenBoundaries;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;

import org.apache.flink.annotation.PublicEvolving;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.BreakIterator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 *
 * <p>No text makes it throw, and every chunk holds at most {@code maxTokens} tokens and {@value #CHARS_PER_TOKEN}
 * characters per token of the budget (WordPiece reads a run of over 100 letters as one unknown token, so a
 * token count alone does not bound a chunk's size):
 *
 * <ul>
 *   <li>A run without white space that exceeds either limit (a fingerprint, a base64 blob, a long URL) is cut
 *       into pieces, each the longest that fits; each piece but the last is a chunk. Pieces end between two
 *       tokens when the tokenizer tells where its tokens end ({@link TokenBoundaries}, as the in-process models'
 *       tokenizer does), otherwise after the last punctuation in the piece's second half, if it has one.
 *   <li>Control characters other than tab, line and page breaks are removed, and unpaired surrogates become
 *       U+FFFD, so every chunk is valid Unicode any store takes.
 *   <li>A chunk without a letter or digit (only punctuation, symbols or marks) is left out.
 * </ul>
 */
@PublicEvolving
public final class EditStableSplitter implements DocumentSplitter {

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n\\s*");
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final int SCORED_WORDS = 6;
    /** Characters a chunk may hold per token of its budget: far above prose (about 5) and code (about 8). */
    static final int CHARS_PER_TOKEN = 32;

    private final TokenCountEstimator tokens;
    private final int maxTokens;
    private final int maxChars;
    private final int smallTokens;

    public EditStableSplitter(TokenCountEstimator tokens, int maxTokens) {
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        }
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.maxChars = maxTokens * CHARS_PER_TOKEN;
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

    /** The chunk texts of {@code text}, in order; text without a letter or digit has none. */
    public List<String> split(String text) {
        String clean = StoreSafeText.of(text);
        List<String> chunks = new ArrayList<>();
        for (Unit chunk : chunkUnits(clean)) {
            if (StoreSafeText.hasLetterOrDigit(clean, chunk.start, chunk.end)) {
                chunks.add(chunk.text(clean));
            }
        }
        return chunks;
    }

    private List<Unit> chunkUnits(String text) {
        List<Unit> chunks = new ArrayList<>();
        Unit pendingSmall = null;
        for (Unit paragraph : paragraphs(text)) {
            if (!fits(paragraph)) {
                if (pendingSmall != null) {
                    chunks.add(pendingSmall);
                    pendingSmall = null;
                }
                splitLongParagraph(text, paragraph, chunks);
                continue;
            }
            Unit group = paragraph;
            if (pendingSmall != null) {
                Unit joined = new Unit(pendingSmall.start, paragraph.end, pendingSmall.tokens + paragraph.tokens, 0);
                if (fits(joined)) {
                    group = joined;
                } else {
                    chunks.add(pendingSmall);
                }
            }
            pendingSmall = null;
            if (paragraph.tokens < smallTokens) {
                pendingSmall = group;
            } else {
                chunks.add(group);
            }
        }
        if (pendingSmall != null) {
            chunks.add(pendingSmall);
        }
        return chunks;
    }

    private boolean fits(Unit unit) {
        return fits(unit.tokens, unit.end - unit.start);
    }

    private boolean fits(long spanTokens, int spanChars) {
        return spanTokens <= maxTokens && spanChars <= maxChars;
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
                // a paragraph over the character limit is cut anyway: no need to tokenize all of it
                int count = e - s > maxChars ? Integer.MAX_VALUE : tokens.estimateTokenCountInText(text.substring(s, e));
                paragraphs.add(new Unit(s, e, count, 0));
            }
            start = next;
        }
        return paragraphs;
    }

    private void splitLongParagraph(String text, Unit paragraph, List<Unit> chunks) {
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
        cut(units, prefixTokens, 0, units.size(), chunks);
    }

    /**
     * Chunks of units [from, to): one chunk if they fit, else cut at the best gap and treat both sides the same
     * way. The best gap is the highest-scoring one that leaves two fitting halves, if there is one: a span that
     * just grew past the budget then becomes two chunks, not three. Equal scores (units that start with the same
     * words) go to the gap nearest the middle, so repeated lines split evenly instead of one by one. Spans wait on
     * a stack rather than in recursive calls: a paragraph can have hundreds of thousands of units.
     */
    private void cut(List<Unit> units, long[] prefixTokens, int from, int to, List<Unit> chunks) {
        Deque<int[]> spans = new ArrayDeque<>();
        spans.push(new int[] {from, to});
        while (!spans.isEmpty()) {
            int[] span = spans.pop();
            int start = span[0];
            int end = span[1];
            if (end - start == 1 || fits(prefixTokens[end] - prefixTokens[start], spanChars(units, start, end))) {
                Unit first = units.get(start);
                Unit last = units.get(end - 1);
                chunks.add(new Unit(first.start, last.end, (int) (prefixTokens[end] - prefixTokens[start]), 0));
                continue;
            }
            int best = bestGap(units, prefixTokens, start, end);
            spans.push(new int[] {best, end});
            spans.push(new int[] {start, best});
        }
    }

    private int bestGap(List<Unit> units, long[] prefixTokens, int from, int to) {
        int middle = (from + to) >>> 1;
        int best = -1;
        boolean bestHalvesFit = false;
        for (int gap = from + 1; gap < to; gap++) {
            boolean halvesFit = fits(prefixTokens[gap] - prefixTokens[from], spanChars(units, from, gap))
                    && fits(prefixTokens[to] - prefixTokens[gap], spanChars(units, gap, to));
            boolean better = best < 0 || (halvesFit && !bestHalvesFit);
            if (!better && halvesFit == bestHalvesFit) {
                long score = units.get(gap).gapScore;
                long bestScore = units.get(best).gapScore;
                better = score > bestScore
                        || (score == bestScore && Math.abs(gap - middle) < Math.abs(best - middle));
            }
            if (better) {
                best = gap;
                bestHalvesFit = halvesFit;
            }
        }
        return best;
    }

    private static int spanChars(List<Unit> units, int from, int to) {
        return units.get(to - 1).end - units.get(from).start;
    }

    /**
     * A sentence over the budget becomes runs of whole words, each within the budget; a word over the budget
     * becomes pieces of itself.
     */
    private void addSentence(String text, int start, int end, List<Unit> units) {
        int count = end - start > maxChars ? Integer.MAX_VALUE : tokens.estimateTokenCountInText(text.substring(start, end));
        if (count <= maxTokens && end - start <= maxChars) {
            units.add(new Unit(start, end, count, score(text, start, end)));
            return;
        }
        Matcher words = WORD.matcher(text).region(start, end);
        int runStart = -1;
        int runEnd = -1;
        int runTokens = 0;
        while (words.find()) {
            int wordChars = words.end() - words.start();
            int wordTokens = wordChars > maxChars ? Integer.MAX_VALUE : tokens.estimateTokenCountInText(words.group());
            boolean wordFits = wordTokens <= maxTokens && wordChars <= maxChars;
            if (runStart >= 0 && (!wordFits || runTokens + wordTokens > maxTokens || words.end() - runStart > maxChars)) {
                units.add(new Unit(runStart, runEnd, runTokens, score(text, runStart, runEnd)));
                runStart = -1;
                runTokens = 0;
            }
            if (!wordFits) {
                Unit last = addPieces(text, words.start(), words.end(), units);
                runStart = last.start;
                runEnd = last.end;
                runTokens = last.tokens;
                continue;
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

    /**
     * Cuts a word over the budget into pieces that fit, adds all but the last to {@code units} and returns the
     * last, which may start a run with the words after it. Each piece but the last counts as a full budget: two
     * pieces of one word must never share a chunk, because a word cut inside a token can count more tokens
     * joined than its pieces did apart.
     */
    private Unit addPieces(String text, int start, int end, List<Unit> units) {
        // absolute token ends, when the tokenizer tells them: then pieces end between two tokens
        int[] tokenEnds = tokens instanceof TokenBoundaries boundaries
                ? boundaries.tokenEnds(text.substring(start, end)) : new int[0];
        for (int i = 0; i < tokenEnds.length; i++) {
            tokenEnds[i] += start;
        }
        int pieceStart = start;
        int nextToken = 0; // the first token that ends after pieceStart
        int guess = maxTokens * 4; // characters; then the length of the piece before, as pieces of a run are alike
        while (true) {
            while (nextToken < tokenEnds.length && tokenEnds[nextToken] <= pieceStart) {
                nextToken++;
            }
            int pieceEnd = tokenBoundaryPieceEnd(text, pieceStart, end, tokenEnds, nextToken);
            if (pieceEnd < 0) {
                pieceEnd = pieceEnd(text, pieceStart, end, guess);
            }
            if (pieceEnd == end) {
                return new Unit(pieceStart, end, tokens.estimateTokenCountInText(text.substring(pieceStart, end)),
                        score(text, pieceStart, end));
            }
            units.add(new Unit(pieceStart, pieceEnd, maxTokens, score(text, pieceStart, pieceEnd)));
            guess = pieceEnd - pieceStart;
            pieceStart = pieceEnd;
        }
    }

    /**
     * The end of the longest piece from {@code start} that ends after a token (or at the word's end) and fits, or -1
     * when no token boundary is of use: the tokenizer gives none, or one token is longer than the character limit
     * (WordPiece's unknown token for a long run of letters).
     */
    private int tokenBoundaryPieceEnd(String text, int start, int end, int[] tokenEnds, int firstToken) {
        int last = Math.min(tokenEnds.length, firstToken + maxTokens) - 1;
        if (last == tokenEnds.length - 1 && end - start <= maxChars
                && fits(tokens.estimateTokenCountInText(text.substring(start, end)), end - start)) {
            return end; // the rest of the word, including what the tokenizer drops after its last token
        }
        while (last >= firstToken && tokenEnds[last] - start > maxChars) {
            last--;
        }
        // a piece cut inside a word counts on its own; it may count a token more than its span did
        while (last >= firstToken && !prefixFits(text, start, tokenEnds[last])) {
            last--;
        }
        return last < firstToken || tokenEnds[last] <= start ? -1 : tokenEnds[last];
    }

    /**
     * The end of the longest prefix of [start, end) that fits, searched over its code point boundaries from a
     * guess of its length (galloping, then bisection: a few tokenizer calls on texts of about the piece's size),
     * then moved back to just after the last punctuation or symbol in its second half, if it has one: WordPiece
     * always ends a token there. One code point always fits.
     */
    private int pieceEnd(String text, int start, int end, int guessChars) {
        int limit = Math.min(end, start + maxChars);
        if (limit < end && Character.isLowSurrogate(text.charAt(limit)) && limit - 1 > start) {
            limit--;
        }
        int[] ends = text.substring(start, limit).codePoints().map(Character::charCount).toArray();
        for (int i = 0, position = start; i < ends.length; i++) {
            position += ends[i];
            ends[i] = position;
        }
        int guess = 0;
        while (guess + 1 < ends.length && ends[guess + 1] - start <= guessChars) {
            guess++;
        }
        int fitting = -1; // largest index known to fit
        int failing = ends.length; // smallest index known not to fit
        int step = Math.max(1, (guess + 1) / 8);
        if (prefixFits(text, start, ends[guess])) {
            fitting = guess;
            while (fitting + 1 < failing) {
                int next = Math.min(ends.length - 1, fitting + step);
                if (!prefixFits(text, start, ends[next])) {
                    failing = next;
                    break;
                }
                fitting = next;
                step *= 2;
            }
        } else {
            failing = guess;
            while (failing > 0) {
                int next = Math.max(0, failing - step);
                if (prefixFits(text, start, ends[next])) {
                    fitting = next;
                    break;
                }
                failing = next;
                step *= 2;
            }
        }
        fitting = Math.max(fitting, 0);
        while (failing - fitting > 1) {
            int middle = (fitting + failing) >>> 1;
            if (prefixFits(text, start, ends[middle])) {
                fitting = middle;
            } else {
                failing = middle;
            }
        }
        int fit = ends[fitting];
        if (fit < end) {
            for (int i = fit; i > start + (fit - start) / 2; i--) {
                if (!Character.isLetterOrDigit(text.charAt(i - 1)) && !Character.isSurrogate(text.charAt(i - 1))) {
                    return i;
                }
            }
        }
        return fit;
    }

    private boolean prefixFits(String text, int start, int end) {
        return tokens.estimateTokenCountInText(text.substring(start, end)) <= maxTokens;
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
