package dev.flinkrag.chunking;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;

/**
 * Characters / 4, for models whose tokenizer the JVM does not have (Ollama's, most remote ones): close for English
 * prose, and the chunk budget should then stay well below what the model reads.
 */
final class EstimatedTokens implements TokenCountEstimator {

    @Override
    public int estimateTokenCountInText(String text) {
        return (text.length() + 3) / 4;
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        return estimateTokenCountInText(message.toString());
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        int tokens = 0;
        for (ChatMessage message : messages) {
            tokens += estimateTokenCountInMessage(message);
        }
        return tokens;
    }
}
