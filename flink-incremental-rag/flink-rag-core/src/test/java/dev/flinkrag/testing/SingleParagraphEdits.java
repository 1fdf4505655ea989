package dev.flinkrag.testing;

import dev.langchain4j.model.TokenCountEstimator;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Seeded single-paragraph edits of real documents, and how many chunks each forces to be embedded again. New
 * text comes from other documents (a sentence of 5 to 60 tokens, or a paragraph that fits the chunk budget), so
 * edits read like the text around them. A document is rendered with its paragraph breaks, or without them as text extracted from a
 * PDF or HTML page is: one line, white space runs collapsed.
 */
public final class SingleParagraphEdits {

    /** The kinds of edit the stability goals name. */
    public enum Kind {
        REPLACE_SENTENCE, INSERT_AT_TOP, INSERT_IN_MIDDLE, DELETE_PARAGRAPH, APPEND
    }

    private final Random random;
    private final List<String> donorParagraphs;
    private final TokenCountEstimator tokens;
    private final int budget;

    /** Edits whose new text comes from {@code donors} (not the edited documents) and fits {@code budget}. */
    public SingleParagraphEdits(long seed, List<TextCorpus.Text> donors, TokenCountEstimator tokens, int budget) {
        this.random = new Random(seed);
        this.donorParagraphs = donors.stream().flatMap(text -> text.paragraphs().stream())
                .filter(paragraph -> paragraph.split("\\s+").length >= 8).toList();
        this.tokens = tokens;
        this.budget = budget;
    }

    /** The document, rendered with or without paragraph breaks. */
    public static String render(List<String> paragraphs, boolean paragraphBreaks) {
        if (paragraphBreaks) {
            return String.join("\n\n", paragraphs);
        }
        return String.join(" ", paragraphs.stream().map(p -> p.replaceAll("\\s+", " ")).toList());
    }

    /** {@code paragraphs} after one random edit of {@code kind}. */
    public List<String> apply(List<String> paragraphs, Kind kind) {
        List<String> edited = new ArrayList<>(paragraphs);
        switch (kind) {
            case REPLACE_SENTENCE -> {
                // in place: the rest of the paragraph keeps its exact text, line breaks included
                int at = random.nextInt(edited.size());
                String paragraph = edited.get(at);
                List<int[]> sentences = sentenceRanges(paragraph);
                int[] sentence = sentences.get(random.nextInt(sentences.size()));
                edited.set(at, paragraph.substring(0, sentence[0]) + donorSentence() + paragraph.substring(sentence[1]));
            }
            case INSERT_AT_TOP -> edited.add(0, fittingParagraph());
            case INSERT_IN_MIDDLE -> edited.add(1 + random.nextInt(Math.max(1, edited.size() - 1)), fittingParagraph());
            case DELETE_PARAGRAPH -> edited.remove(random.nextInt(edited.size()));
            case APPEND -> edited.add(fittingParagraph());
        }
        return edited;
    }

    /**
     * Chunks re-embedded per edit → number of edits, for {@code count} edits of {@code kind} of each document: a
     * chunk is re-embedded when its text was not a chunk of the document before (content-hash dedup).
     * {@code tokensReembedded[0]} gets the tokens those chunks hold, summed.
     */
    public TreeMap<Integer, Integer> reembedded(List<TextCorpus.Text> documents, Kind kind, int count, boolean breaks,
            Function<String, List<String>> splitter, long[] tokensReembedded) {
        TreeMap<Integer, Integer> distribution = new TreeMap<>();
        for (TextCorpus.Text document : documents) {
            List<String> paragraphs = document.paragraphs();
            Set<String> before = new HashSet<>(splitter.apply(render(paragraphs, breaks)));
            for (int i = 0; i < count; i++) {
                List<String> fresh = splitter.apply(render(apply(paragraphs, kind), breaks)).stream()
                        .filter(chunk -> !before.contains(chunk)).distinct().toList();
                distribution.merge(fresh.size(), 1, Integer::sum);
                for (String chunk : fresh) {
                    tokensReembedded[0] += tokens.estimateTokenCountInText(chunk);
                }
            }
        }
        return distribution;
    }

    public static double mean(TreeMap<Integer, Integer> distribution) {
        long edits = distribution.values().stream().mapToLong(Integer::longValue).sum();
        return distribution.entrySet().stream().mapToDouble(e -> (double) e.getKey() * e.getValue()).sum() / edits;
    }

    /** The smallest count that at least {@code fraction} of the edits do not exceed. */
    public static int percentile(TreeMap<Integer, Integer> distribution, double fraction) {
        long edits = distribution.values().stream().mapToLong(Integer::longValue).sum();
        long seen = 0;
        for (var entry : distribution.entrySet()) {
            seen += entry.getValue();
            if (seen >= fraction * edits) {
                return entry.getKey();
            }
        }
        return distribution.lastKey();
    }

    /** A sentence of 5 to 60 tokens: what replacing one sentence means (a 400-token run is not one). */
    private String donorSentence() {
        while (true) {
            List<String> sentences = sentences(donorParagraphs.get(random.nextInt(donorParagraphs.size())));
            String sentence = sentences.get(random.nextInt(sentences.size()));
            int count = tokens.estimateTokenCountInText(sentence);
            if (count >= 5 && count <= 60) {
                return sentence;
            }
        }
    }

    private String fittingParagraph() {
        while (true) {
            String paragraph = donorParagraphs.get(random.nextInt(donorParagraphs.size()));
            if (tokens.estimateTokenCountInText(paragraph) <= budget) {
                return paragraph;
            }
        }
    }

    private static List<String> sentences(String paragraph) {
        return sentenceRanges(paragraph).stream().map(range -> paragraph.substring(range[0], range[1])).toList();
    }

    /** [start, end) of each sentence of {@code paragraph}, without surrounding white space; the whole if none. */
    private static List<int[]> sentenceRanges(String paragraph) {
        List<int[]> sentences = new ArrayList<>();
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
        iterator.setText(paragraph);
        for (int from = iterator.first(), to = iterator.next(); to != BreakIterator.DONE; from = to, to = iterator.next()) {
            int start = from;
            int end = to;
            while (start < end && Character.isWhitespace(paragraph.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(paragraph.charAt(end - 1))) {
                end--;
            }
            if (start < end) {
                sentences.add(new int[] {start, end});
            }
        }
        if (sentences.isEmpty()) {
            sentences.add(new int[] {0, paragraph.length()});
        }
        return sentences;
    }
}
