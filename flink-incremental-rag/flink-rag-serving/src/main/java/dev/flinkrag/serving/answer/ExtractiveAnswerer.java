package dev.flinkrag.serving.answer;

import dev.flinkrag.serving.retrieval.RetrievedChunk;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Answers without a language model, so the offline default still answers: the sentences of the retrieved chunks
 * that share the most words with the question (a better-ranked chunk wins a tie), at most {@value #MAX_SENTENCES},
 * in the order of their chunks, each citing its chunk as {@code [n]}; labelled as extractive. Summaries are the
 * leading sentence of each text.
 */
@PublicEvolving
public final class ExtractiveAnswerer implements Answerer {

    static final int MAX_SENTENCES = 3;
    static final String ANSWER_LABEL = "Extractive answer (no chat model is configured; these are the sentences of "
            + "the indexed text that best match the question): ";
    static final String SUMMARY_LABEL = "Extractive summary (no chat model is configured; the leading sentence of "
            + "each text): ";
    static final String NO_MATCH = "No indexed text matches the question.";
    private static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "are", "but", "not", "you", "your",
            "with", "this", "that", "from", "have", "has", "was", "were", "what", "which", "when", "where", "who", "why",
            "how", "can", "does", "did", "its", "into", "than", "then", "there", "their", "they", "them", "should",
            "would", "could", "about", "will", "all", "any", "our", "out", "too", "very");

    private record Sentence(int chunk, int position, String text, double score) {}

    @Override
    public Answer answer(String question, List<RetrievedChunk> context, @Nullable String model) {
        refuse(model);
        Set<String> asked = terms(question);
        List<Sentence> candidates = new ArrayList<>();
        for (int c = 0; c < context.size(); c++) {
            List<String> sentences = sentences(context.get(c).text());
            for (int s = 0; s < sentences.size(); s++) {
                Set<String> words = terms(sentences.get(s));
                words.retainAll(asked);
                if (!words.isEmpty()) {
                    candidates.add(new Sentence(c, s, sentences.get(s), words.size() - c * 0.01));
                }
            }
        }
        if (candidates.isEmpty()) {
            return new Answer(NO_MATCH, List.of(), context);
        }
        candidates.sort(Comparator.comparingDouble(Sentence::score).reversed());
        List<Sentence> chosen = new ArrayList<>(candidates.subList(0, Math.min(MAX_SENTENCES, candidates.size())));
        chosen.sort(Comparator.comparingInt(Sentence::chunk).thenComparingInt(Sentence::position));
        List<RetrievedChunk> sources = new ArrayList<>();
        StringBuilder response = new StringBuilder(ANSWER_LABEL);
        for (Sentence sentence : chosen) {
            RetrievedChunk chunk = context.get(sentence.chunk());
            if (!sources.contains(chunk)) {
                sources.add(chunk);
            }
            response.append(sentence.text().strip()).append(" [").append(sources.indexOf(chunk) + 1).append("] ");
        }
        return new Answer(response.toString().strip(), sources, context);
    }

    /** The leading sentence of each text. */
    @Override
    public String summarize(List<String> texts, @Nullable String model) {
        refuse(model);
        StringBuilder summary = new StringBuilder(SUMMARY_LABEL);
        for (String text : texts) {
            List<String> sentences = sentences(text);
            if (!sentences.isEmpty()) {
                summary.append(sentences.get(0).strip()).append(' ');
            }
        }
        return summary.toString().strip();
    }

    /** Without a chat model, a request naming one is refused rather than answered by another. */
    private static void refuse(@Nullable String model) {
        if (model != null && !model.isBlank()) {
            throw new ModelNotServedException("model '" + model + "' is not served here: this server has no chat "
                    + "model and answers extractively; omit 'model'");
        }
    }

    private static List<String> sentences(String text) {
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ROOT);
        boundaries.setText(text);
        List<String> sentences = new ArrayList<>();
        for (int start = boundaries.first(), end = boundaries.next(); end != BreakIterator.DONE;
                start = end, end = boundaries.next()) {
            String sentence = text.substring(start, end).replaceAll("\\s+", " ").strip();
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }

    private static Set<String> terms(String text) {
        Set<String> terms = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 3 && !STOP_WORDS.contains(word)) {
                terms.add(word);
            }
        }
        return new LinkedHashSet<>(terms);
    }
}
