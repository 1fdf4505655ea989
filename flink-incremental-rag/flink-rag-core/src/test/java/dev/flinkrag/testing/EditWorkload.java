package dev.flinkrag.testing;

import dev.langchain4j.model.TokenCountEstimator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Random single-paragraph edits of a document of about 100 chunks, and how many chunks each edit forces to
 * be embedded again. An edit is one of: a sentence replaced, inserted or deleted inside one paragraph, or
 * a paragraph that fits one chunk inserted, deleted or replaced. Chunks count as re-embedded when their
 * text was not a chunk before the edit (content-hash dedup).
 */
public final class EditWorkload {

    private final List<List<String>> paragraphs = new ArrayList<>();
    private final Prose prose;
    private final Random random;
    private final int budget;
    private final boolean paragraphBreaks;
    private final TokenCountEstimator tokens;

    /** A document of at least {@code chunks} chunks under {@code reference}, made of seeded prose. */
    public EditWorkload(long seed, int budget, boolean paragraphBreaks, TokenCountEstimator tokens,
            Function<String, List<String>> reference, int chunks) {
        this.prose = new Prose(seed);
        this.random = prose.random();
        this.budget = budget;
        this.paragraphBreaks = paragraphBreaks;
        this.tokens = tokens;
        while (reference.apply(render(paragraphs)).size() < chunks) {
            paragraphs.add(sentences());
        }
    }

    /** The document the edits start from. */
    public String document() {
        return render(paragraphs);
    }

    /** {@code count} edited versions of {@link #document()}, each one edit away from it. */
    public List<String> edits(int count) {
        List<String> edited = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            edited.add(render(edit()));
        }
        return edited;
    }

    private List<List<String>> edit() {
        List<List<String>> edited = new ArrayList<>(paragraphs);
        int at = random.nextInt(edited.size());
        List<String> paragraph = new ArrayList<>(edited.get(at));
        int sentence = random.nextInt(paragraph.size());
        switch (random.nextInt(6)) {
            case 0 -> {
                paragraph.set(sentence, prose.sentence());
                edited.set(at, paragraph);
            }
            case 1 -> {
                paragraph.add(sentence, prose.sentence());
                edited.set(at, paragraph);
            }
            case 2 -> {
                paragraph.remove(sentence);
                if (paragraph.isEmpty()) {
                    edited.remove(at);
                } else {
                    edited.set(at, paragraph);
                }
            }
            case 3 -> edited.add(at, fittingParagraph());
            case 4 -> edited.remove(at);
            default -> edited.set(at, fittingParagraph());
        }
        return edited;
    }

    /** Distribution of re-embedded chunks per edit: count of chunks → number of edits. */
    public TreeMap<Integer, Integer> reembedDistribution(Function<String, List<String>> splitter, int edits) {
        Set<String> before = new HashSet<>(splitter.apply(document()));
        TreeMap<Integer, Integer> distribution = new TreeMap<>();
        for (String edited : edits(edits)) {
            int fresh = (int) splitter.apply(edited).stream().filter(chunk -> !before.contains(chunk)).distinct().count();
            distribution.merge(fresh, 1, Integer::sum);
        }
        return distribution;
    }

    public static double mean(TreeMap<Integer, Integer> distribution) {
        long edits = distribution.values().stream().mapToLong(Integer::longValue).sum();
        return distribution.entrySet().stream().mapToDouble(e -> (double) e.getKey() * e.getValue()).sum() / edits;
    }

    private List<String> sentences() {
        return new ArrayList<>(List.of(prose.paragraph().split("(?<=\\.) ")));
    }

    private List<String> fittingParagraph() {
        List<String> paragraph;
        do {
            paragraph = sentences();
        } while (tokens.estimateTokenCountInText(String.join(" ", paragraph)) > budget);
        return paragraph;
    }

    private String render(List<List<String>> document) {
        List<String> rendered = document.stream().map(sentences -> String.join(" ", sentences)).toList();
        return String.join(paragraphBreaks ? "\n\n" : " ", rendered);
    }
}
