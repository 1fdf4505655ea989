package dev.flinkrag.embedding.onnx;

import dev.flinkrag.embedding.TokenBoundaries;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The BERT uncased WordPiece tokenizer of all-MiniLM-L6-v2 and bge-small-en-v1.5, as LangChain4j's
 * {@link HuggingFaceTokenCountEstimator} loads it (same vocabulary file, no special tokens, no truncation, so the
 * same counts), that also gives token boundaries. Safe to share between threads.
 */
final class WordPieceTokenizer implements TokenCountEstimator, TokenBoundaries {

    private final HuggingFaceTokenizer tokenizer;

    WordPieceTokenizer() {
        NativeTokenizerLibrary.load();
        try (InputStream vocabulary = HuggingFaceTokenCountEstimator.class.getResourceAsStream("/bert-tokenizer.json")) {
            if (vocabulary == null) {
                throw new IllegalStateException("bert-tokenizer.json is missing from langchain4j-embeddings");
            }
            tokenizer = HuggingFaceTokenizer.newInstance(vocabulary, Map.of("padding", "false", "truncation", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the WordPiece vocabulary", e);
        }
    }

    @Override
    public int estimateTokenCountInText(String text) {
        return encode(text).getTokens().length;
    }

    /** The tokenizer reports spans in code points; they are turned into UTF-16 indices here. */
    @Override
    public int[] tokenEnds(String text) {
        CharSpan[] spans = encode(text).getCharTokenSpans();
        int[] ends = new int[spans.length];
        int codePoints = 0;
        int index = 0;
        for (int i = 0; i < spans.length; i++) {
            int end = spans[i] == null ? codePoints : spans[i].getEnd();
            if (end < codePoints) { // never backwards, whatever the tokenizer says
                end = codePoints;
            }
            index = text.offsetByCodePoints(index, end - codePoints);
            codePoints = end;
            ends[i] = index;
        }
        return ends;
    }

    private Encoding encode(String text) {
        return tokenizer.encode(text, false, true);
    }

    /** Chat messages are never embedded here; LangChain4j's estimator counts them as it always has. */
    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        return MessageCounter.INSTANCE.estimateTokenCountInMessage(message);
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        return MessageCounter.INSTANCE.estimateTokenCountInMessages(messages);
    }

    private static final class MessageCounter {
        static final TokenCountEstimator INSTANCE = new HuggingFaceTokenCountEstimator();
    }
}
