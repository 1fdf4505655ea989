package dev.flinkrag.serving.answer;

import dev.flinkrag.embedding.chat.ChatModels;
import dev.flinkrag.serving.retrieval.RetrievedChunk;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;

import javax.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers questions from retrieved context and summarizes texts: with a chat model, or extractively without one. */
@PublicEvolving
public interface Answerer {

    /**
     * The answer to {@code question} from {@code context} (best chunk first).
     *
     * @param model the chat model the caller asks for; {@code null} or blank for the default
     * @throws ModelNotServedException if {@code model} is not served here
     */
    Answer answer(String question, List<RetrievedChunk> context, @Nullable String model);

    /** A summary of {@code texts}; {@code model} as for {@link #answer}. */
    String summarize(List<String> texts, @Nullable String model);

    /** A {@link ChatAnswerer} when the {@code chat.*} options name a provider, else an {@link ExtractiveAnswerer}. */
    static Answerer fromOptions(Configuration options) {
        Map<String, String> chat = new LinkedHashMap<>();
        options.toMap().forEach((key, value) -> {
            if (key.startsWith("chat.")) {
                chat.put(key, value);
            }
        });
        return ChatModels.fromOptions(chat).<Answerer>map(ChatAnswerer::new).orElseGet(ExtractiveAnswerer::new);
    }
}
