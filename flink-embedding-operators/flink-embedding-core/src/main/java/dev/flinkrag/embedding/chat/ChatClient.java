package dev.flinkrag.embedding.chat;

import dev.flinkrag.common.RetryOptions;
import dev.flinkrag.embedding.ModelFailures;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls the chat models of one provider: the default model or one of the allowed others, retrying rate limits
 * (honouring {@code Retry-After}), server errors and timeouts with {@link RetryOptions}. Thread-safe; serializable,
 * so an operator can carry it and create its clients on the TaskManager.
 */
@PublicEvolving
public final class ChatClient implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ChatModelProvider provider;
    private final Set<String> models;
    private final RetryOptions retries;
    private transient volatile Map<String, ChatModel> clients;

    public ChatClient(ChatModelProvider provider, List<String> otherAllowedModels, RetryOptions retries) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.models = new LinkedHashSet<>();
        this.models.add(provider.defaultModel());
        this.models.addAll(otherAllowedModels);
        this.retries = Objects.requireNonNull(retries, "retries");
    }

    public String defaultModel() {
        return provider.defaultModel();
    }

    /** The models a caller may ask for, the default first. */
    public Set<String> models() {
        return Set.copyOf(models);
    }

    public String serverId() {
        return provider.serverId();
    }

    /**
     * The answer of {@code model} (the default when {@code null} or blank) to {@code messages}.
     *
     * @throws IllegalArgumentException if {@code model} is not one of {@link #models()}
     * @throws ChatFailedException if the call failed for good
     */
    public String chat(@Nullable String model, List<ChatMessage> messages) {
        String name = model == null || model.isBlank() ? provider.defaultModel() : model;
        if (!models.contains(name)) {
            throw new IllegalArgumentException("model '" + name + "' is not served here; allowed: "
                    + String.join(", ", models));
        }
        ChatModel client = clients().computeIfAbsent(name, provider::create);
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy<ChatResponse> policy =
                retries.<ChatResponse>policy(ModelFailures::isRetryable, ModelFailures::serverRequestedDelay).build();
        try {
            ChatResponse response = Failsafe.with(policy).get(() -> {
                attempts.incrementAndGet();
                return client.chat(messages);
            });
            String text = response.aiMessage() == null ? null : response.aiMessage().text();
            if (text == null || text.isBlank()) {
                throw new ChatFailedException(serverId() + " model " + name + " returned no text", 0, attempts.get(),
                        false, null);
            }
            return text;
        } catch (FailsafeException e) {
            throw failed(name, attempts.get(), e.getCause() == null ? e : e.getCause());
        } catch (ChatFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed(name, attempts.get(), e);
        }
    }

    private ChatFailedException failed(String model, int attempts, Throwable failure) {
        int status = 0;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                status = http.statusCode();
                break;
            }
        }
        return new ChatFailedException(serverId() + " model " + model + " failed after " + attempts + " attempt"
                + (attempts == 1 ? "" : "s") + ": " + ModelFailures.describe(failure), status, attempts,
                ModelFailures.isRetryable(failure), failure);
    }

    private Map<String, ChatModel> clients() {
        if (clients == null) {
            synchronized (this) {
                if (clients == null) {
                    clients = new ConcurrentHashMap<>();
                }
            }
        }
        return clients;
    }

    @Override
    public String toString() {
        return "ChatClient{" + provider + ", models=" + models + "}";
    }
}
