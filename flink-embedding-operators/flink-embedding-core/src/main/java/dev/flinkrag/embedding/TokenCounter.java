package dev.flinkrag.embedding;

import dev.langchain4j.model.TokenCountEstimator;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the tokens of a text with the model's tokenizer when it has one, otherwise estimates them as
 * characters / 4 (good enough for batch budgets and rate limits, never used to enforce a model's limit),
 * and cuts texts to a token budget at a word boundary.
 */
final class TokenCounter {

    @Nullable private final TokenCountEstimator tokenizer;

    TokenCounter(@Nullable TokenCountEstimator tokenizer) {
        this.tokenizer = tokenizer;
    }

    boolean isExact() {
        return tokenizer != null;
    }

    int count(String text) {
        return tokenizer != null ? tokenizer.estimateTokenCountInText(text) : (text.length() + 3) / 4;
    }

    /**
     * The longest prefix of {@code text} ending at a word end with at most {@code maxTokens} tokens, or
     * {@code null} when not even the first word fits. Binary search over word ends: O(log n) tokenizer calls.
     */
    @Nullable
    String truncate(String text, int maxTokens) {
        List<Integer> wordEnds = new ArrayList<>();
        for (int i = 1; i <= text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i - 1))
                    && (i == text.length() || Character.isWhitespace(text.charAt(i)))) {
                wordEnds.add(i);
            }
        }
        int fitting = -1; // index into wordEnds of the longest prefix known to fit
        int low = 0;
        int high = wordEnds.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (count(text.substring(0, wordEnds.get(middle))) <= maxTokens) {
                fitting = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return fitting < 0 ? null : text.substring(0, wordEnds.get(fitting));
    }
}
