package dev.flinkrag.benchmarks;

import dev.langchain4j.model.TokenCountEstimator;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Baseline: sentences packed greedily into chunks up to the token budget, as fixed-size token splitters
 * (Pathway's TokenCountSplitter among them) do. Every boundary depends on everything before it.
 */
final class GreedySentencePacking {

    private final TokenCountEstimator tokens;
    private final int maxTokens;

    GreedySentencePacking(TokenCountEstimator tokens, int maxTokens) {
        this.tokens = tokens;
        this.maxTokens = maxTokens;
    }

    List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text);
        StringBuilder chunk = new StringBuilder();
        int chunkTokens = 0;
        for (int from = sentences.first(), to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
            String sentence = text.substring(from, to).strip();
            if (sentence.isEmpty()) {
                continue;
            }
            int sentenceTokens = tokens.estimateTokenCountInText(sentence);
            if (chunkTokens > 0 && chunkTokens + sentenceTokens > maxTokens) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
                chunkTokens = 0;
            }
            chunk.append(chunk.length() == 0 ? "" : " ").append(sentence);
            chunkTokens += sentenceTokens;
        }
        if (chunk.length() > 0) {
            chunks.add(chunk.toString());
        }
        return chunks;
    }
}
