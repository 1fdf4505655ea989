package dev.flinkrag.serving.answer;

import dev.flinkrag.embedding.chat.ChatClient;
import dev.flinkrag.serving.retrieval.RetrievedChunk;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers with a chat model: the context goes into the prompt as numbered passages ({@code [1]} is the best match),
 * the model is told to answer from them only and cite them, and the answer's citations are renumbered to the order
 * of {@link Answer#sources()} (the passages it cites, in the order it first cites them; every passage when it cites
 * none, since the model saw them all).
 */
@PublicEvolving
public final class ChatAnswerer implements Answerer {

    static final String ANSWER_INSTRUCTIONS = "You answer questions from the numbered context passages the user gives "
            + "and from nothing else. Cite each passage you use by its number in square brackets, like [1]. If the "
            + "passages do not contain the answer, say that you do not know. Answer in the language of the question.";
    static final String SUMMARY_INSTRUCTIONS = "Summarize the numbered texts the user gives in a few sentences, "
            + "keeping names, numbers and conclusions; add nothing they do not say.";
    /** {@code [2]} or {@code [1, 3]}. */
    private static final Pattern CITATION = Pattern.compile("\\[(\\d+(?:\\s*,\\s*\\d+)*)]");

    private final ChatClient chat;

    public ChatAnswerer(ChatClient chat) {
        this.chat = Objects.requireNonNull(chat, "chat");
    }

    @Override
    public Answer answer(String question, List<RetrievedChunk> context, @Nullable String model) {
        StringBuilder prompt = new StringBuilder("Context:\n");
        for (int i = 0; i < context.size(); i++) {
            RetrievedChunk chunk = context.get(i);
            prompt.append('[').append(i + 1).append("] ").append(chunk.text().strip());
            Object path = chunk.metadata().get("path");
            if (path != null) {
                prompt.append("\n(source: ").append(path).append(')');
            }
            prompt.append("\n\n");
        }
        if (context.isEmpty()) {
            prompt.append("(no passage matches)\n\n");
        }
        // The question last: models weigh the end of a prompt most.
        prompt.append("Question: ").append(question.strip().replaceAll("\\s+", " "));
        String response = call(model, ANSWER_INSTRUCTIONS, prompt.toString());
        return cited(response, context);
    }

    @Override
    public String summarize(List<String> texts, @Nullable String model) {
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            prompt.append('[').append(i + 1).append("] ").append(texts.get(i).strip()).append("\n\n");
        }
        return call(model, SUMMARY_INSTRUCTIONS, prompt.toString().strip());
    }

    private String call(@Nullable String model, String instructions, String prompt) {
        List<ChatMessage> messages = List.of(SystemMessage.from(instructions), UserMessage.from(prompt));
        try {
            return chat.chat(model, messages).strip();
        } catch (IllegalArgumentException e) {
            throw new ModelNotServedException(e.getMessage());
        }
    }

    /** The answer with its citations renumbered to the order of its sources. */
    static Answer cited(String response, List<RetrievedChunk> context) {
        List<RetrievedChunk> sources = new ArrayList<>();
        Matcher citations = CITATION.matcher(response);
        StringBuilder renumbered = new StringBuilder();
        while (citations.find()) {
            List<String> numbers = new ArrayList<>();
            for (String number : citations.group(1).split("\\s*,\\s*")) {
                int n = number.length() > 6 ? 0 : Integer.parseInt(number);
                if (n < 1 || n > context.size()) {
                    numbers.add(number); // not one of ours: left as the model wrote it
                    continue;
                }
                RetrievedChunk chunk = context.get(n - 1);
                if (!sources.contains(chunk)) {
                    sources.add(chunk);
                }
                numbers.add(Integer.toString(sources.indexOf(chunk) + 1));
            }
            citations.appendReplacement(renumbered, Matcher.quoteReplacement("[" + String.join(", ", numbers) + "]"));
        }
        citations.appendTail(renumbered);
        return new Answer(renumbered.toString(), sources.isEmpty() ? context : sources, context);
    }
}
