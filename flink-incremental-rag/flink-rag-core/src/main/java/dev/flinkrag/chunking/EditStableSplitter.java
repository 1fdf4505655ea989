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
 *   <li>The text is read as units: sentences (a sentence over the budget as words, a word over the budget as
 *       pieces). Each gap between two units has a key: its level (a paragraph break, a sentence break, a clause
 *       mark inside a sentence, or another break between words or right after a heading-sized paragraph of under
 *       {@code maxTokens / 8} tokens), then a hash of the first words after it.
 *   <li>A gap is a cut when its key beats every other gap within a window of {@code 0.42 × maxTokens} tokens on
 *       either side, and both ends of the text are at least a window away (content-defined chunking, as FastCDC
 *       does for bytes, on sentences). Cuts are thus at least a window apart, so chunks come out full (64-69 % of
 *       the budget on real text, where never merging two paragraphs gave 22 % at 300 tokens), and each cut
 *       depends on the text within a window of it only, so an edit moves only the cuts near it.
 *   <li>A span between two cuts that does not fit is cut at its highest-keyed gap that leaves two fitting halves,
 *       and each side is treated the same way.
 * </ul>
 *
 * <p>Paragraph breaks win over sentence breaks within a window, so chunks end at paragraphs where they can.
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
    /**
     * The cut window as a fraction of the budget. Measured on the real-text corpus (ChunkStabilityBenchmark):
     * at 0.42 chunks hold 64-67 % of the budget and an edit re-embeds at most 1.9 chunks on average; wider windows
     * fill a little more and re-embed more.
     */
    static final double WINDOW_FRACTION = 0.42;
    private static final int LEVEL_INSIDE = 0;
    private static final int LEVEL_CLAUSE = 1;
    private static final int LEVEL_SENTENCE = 2;
    private static final int LEVEL_PARAGRAPH = 3;
    private static final int LEVEL_BITS = 3;
    private static final int LEVEL_SHIFT = 64 - LEVEL_BITS;

    private final TokenCountEstimator tokens;
    private final int maxTokens;
    private final int maxChars;
    private final int smallTokens;
    private final long window;

    public EditStableSplitter(TokenCountEstimator tokens, int maxTokens) {
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        }
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.maxChars = maxTokens * CHARS_PER_TOKEN;
        this.smallTokens = maxTokens / 8;
        this.window = Math.max(1, Math.round(maxTokens * WINDOW_FRACTION));
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
        List<Unit> units = units(text);
        long[] prefixTokens = new long[units.size() + 1];
        for (int i = 0; i < units.size(); i++) {
            prefixTokens[i + 1] = prefixTokens[i] + units.get(i).tokens;
        }
        List<Unit> chunks = new ArrayList<>();
        int from = 0;
        for (int cut : cuts(units, prefixTokens)) {
            cut(units, prefixTokens, from, cut, chunks);
            from = cut;
        }
        if (from < units.size()) {
            cut(units, prefixTokens, from, units.size(), chunks);
        }
        return chunks;
    }

    /**
     * The document's sentences (a sentence over the budget as words, a word over the budget as pieces), each
     * with the key of the gap before it: its level (a paragraph break after a paragraph that is not a heading-sized
     * one, a sentence break, or a break inside a sentence or after a short paragraph) above a hash of its first words.
     */
    private List<Unit> units(String text) {
        List<Unit> units = new ArrayList<>();
        boolean afterSmallParagraph = true;
        for (int[] paragraph : paragraphs(text)) {
            int first = units.size();
            BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
            sentences.setText(text.substring(paragraph[0], paragraph[1]));
            for (int from = sentences.first(), to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
                int s = trimStart(text, paragraph[0] + from, paragraph[0] + to);
                int e = trimEnd(text, paragraph[0] + from, paragraph[0] + to);
                if (s < e) {
                    int sentence = units.size();
                    addSentence(text, s, e, units);
                    units.set(sentence, units.get(sentence).atLevel(sentence == first
                            ? (afterSmallParagraph ? LEVEL_INSIDE : LEVEL_PARAGRAPH) : LEVEL_SENTENCE));
                }
            }
            long paragraphTokens = 0;
            for (int i = first; i < units.size(); i++) {
                paragraphTokens += units.get(i).tokens;
            }
            if (units.size() > first) {
                afterSmallParagraph = paragraphTokens < smallTokens;
            }
        }
        return units;
    }

    /**
     * Where spans start, decided by the local text alone: before unit g when the gap's key beats every other gap
     * less than {@code window} tokens away on either side (an earlier one wins a tie), and both ends of the
     * document are at least {@code window} tokens away. Two cuts are thus at least {@code window} tokens apart,
     * which keeps chunks full, and an edit moves only the cuts whose windows reach it, which keeps it local.
     * Sliding-window maxima make this linear in the units.
     */
    private List<Integer> cuts(List<Unit> units, long[] prefixTokens) {
        int n = units.size();
        long total = prefixTokens[n];
        long[] before = new long[n];
        Deque<Integer> window = new ArrayDeque<>();
        for (int g = 1; g < n; g++) {
            while (!window.isEmpty() && prefixTokens[g] - prefixTokens[window.peekFirst()] >= this.window) {
                window.pollFirst();
            }
            before[g] = window.isEmpty() ? Long.MIN_VALUE : units.get(window.peekFirst()).key;
            while (!window.isEmpty() && units.get(window.peekLast()).key <= units.get(g).key) {
                window.pollLast();
            }
            window.addLast(g);
        }
        window.clear();
        List<Integer> cuts = new ArrayList<>();
        long[] after = new long[n];
        for (int g = n - 1; g >= 1; g--) {
            while (!window.isEmpty() && prefixTokens[window.peekFirst()] - prefixTokens[g] >= this.window) {
                window.pollFirst();
            }
            after[g] = window.isEmpty() ? Long.MIN_VALUE : units.get(window.peekFirst()).key;
            while (!window.isEmpty() && units.get(window.peekLast()).key <= units.get(g).key) {
                window.pollLast();
            }
            window.addLast(g);
        }
        for (int g = 1; g < n; g++) {
            long key = units.get(g).key;
            if (prefixTokens[g] >= this.window && total - prefixTokens[g] >= this.window
                    && key > before[g] && key >= after[g]) {
                cuts.add(g);
            }
        }
        return cuts;
    }

    private boolean fits(Unit unit) {
        return fits(unit.tokens, unit.end - unit.start);
    }

    private boolean fits(long spanTokens, int spanChars) {
        return spanTokens <= maxTokens && spanChars <= maxChars;
    }

    private List<int[]> paragraphs(String text) {
        List<int[]> paragraphs = new ArrayList<>();
        Matcher breaks = PARAGRAPH_BREAK.matcher(text);
        int start = 0;
        while (start < text.length()) {
            int end = breaks.find(start) ? breaks.start() : text.length();
            int next = end == text.length() ? end : breaks.end();
            int s = trimStart(text, start, end);
            int e = trimEnd(text, start, end);
            if (s < e) {
                paragraphs.add(new int[] {s, e});
            }
            start = next;
        }
        return paragraphs;
    }

    /**
     * Chunks of units [from, to): one chunk if they fit, else cut at the best gap and treat both sides the same
     * way. The best gap is the highest-keyed one that leaves two fitting halves, if there is one (a span that just
     * grew past the budget then becomes two chunks, not three), and, among those, sides of at least a window. Equal
     * keys (units that start with the same words) go to the gap nearest the middle, so repeated lines split evenly
     * instead of one by one. Spans wait on a stack rather than in recursive calls: a text can have hundreds of
     * thousands of units.
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
        int bestRank = -1;
        for (int gap = from + 1; gap < to; gap++) {
            long left = prefixTokens[gap] - prefixTokens[from];
            long right = prefixTokens[to] - prefixTokens[gap];
            boolean halvesFit = fits(left, spanChars(units, from, gap)) && fits(right, spanChars(units, gap, to));
            // a side under the window would be a small chunk (or a small start of the next cut)
            int rank = (halvesFit ? 2 : 0) + (left >= window && right >= window ? 1 : 0);
            boolean better = rank > bestRank;
            if (!better && rank == bestRank) {
                long score = units.get(gap).key;
                long bestScore = units.get(best).key;
                better = score > bestScore
                        || (score == bestScore && Math.abs(gap - middle) < Math.abs(best - middle));
            }
            if (better) {
                best = gap;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int spanChars(List<Unit> units, int from, int to) {
        return units.get(to - 1).end - units.get(from).start;
    }

    /**
     * A sentence that fits is one unit. A longer one is a unit per word (a word over the budget: per piece), and the
     * gap after a clause mark (, ; : or a dash) outranks the other gaps between its words, so the cuts between its
     * chunks are decided by the words around them, as between sentences, instead of by packing words greedily.
     */
    private void addSentence(String text, int start, int end, List<Unit> units) {
        int count = end - start > maxChars ? Integer.MAX_VALUE : tokens.estimateTokenCountInText(text.substring(start, end));
        if (count <= maxTokens && end - start <= maxChars) {
            units.add(new Unit(start, end, count, score(text, start, end)));
            return;
        }
        Matcher words = WORD.matcher(text).region(start, end);
        while (words.find()) {
            int wordChars = words.end() - words.start();
            int wordTokens = wordChars > maxChars ? Integer.MAX_VALUE : tokens.estimateTokenCountInText(words.group());
            int first = units.size();
            if (wordTokens <= maxTokens && wordChars <= maxChars) {
                units.add(new Unit(words.start(), words.end(), wordTokens, score(text, words.start(), end)));
            } else {
                units.add(addPieces(text, words.start(), words.end(), units));
            }
            if (words.start() > start && isClauseMark(text.charAt(words.start() - 1 - trailingSpaces(text, words.start())))) {
                units.set(first, units.get(first).atLevel(LEVEL_CLAUSE));
            }
        }
    }

    private static int trailingSpaces(String text, int wordStart) {
        int spaces = 0;
        while (wordStart - spaces - 1 > 0 && Character.isWhitespace(text.charAt(wordStart - spaces - 1))) {
            spaces++;
        }
        return spaces;
    }

    private static boolean isClauseMark(char c) {
        return c == ',' || c == ';' || c == ':' || c == '-' || c == '\u2013' || c == '\u2014';
    }

    /**
     * Cuts a word over the budget into pieces that fit, adds all but the last to {@code units} and returns the
     * last, which may share a chunk with the words after it. Each piece but the last counts as a full budget: two
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

    /**
     * Score of the gap before a unit: a hash of its first words, so edits further in do not move gaps; its top bits
     * are left free for the gap's level.
     */
    private static long score(String text, int start, int end) {
        Matcher words = WORD.matcher(text).region(start, end);
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < SCORED_WORDS && words.find(); i++) {
            first.append(words.group()).append(' ');
        }
        return hash(first.toString()) >>> LEVEL_BITS;
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

    /**
     * A sentence, word or piece of a word: [start, end) in the text, its tokens, and the key of the gap before it
     * (level above score).
     */
    private record Unit(int start, int end, int tokens, long key) {
        String text(String document) {
            return document.substring(start, end);
        }

        Unit atLevel(int level) {
            return new Unit(start, end, tokens, ((long) level << LEVEL_SHIFT) | (key & ((1L << LEVEL_SHIFT) - 1)));
        }
    }
}
