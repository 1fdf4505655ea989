package dev.flinkrag.embedding.openai;

import dev.flinkrag.embedding.chat.ChatClient;
import dev.flinkrag.embedding.chat.ChatFailedException;
import dev.flinkrag.embedding.chat.ChatModels;
import dev.flinkrag.embedding.chat.FakeChatServer;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ChatClient} over LangChain4j's OpenAI and Ollama chat models, against a loopback server with faults. */
class ChatClientITCase {

    private static final List<ChatMessage> QUESTION = List.of(
            SystemMessage.from("Answer from the context."),
            UserMessage.from("Context:\n[1] Refunds take five days to arrive.\n[2] Shipping is free above 50 euros."
                    + "\n\nQuestion: how long do refunds take?"));

    private FakeChatServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeChatServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ChatClient client(String provider, Map<String, String> extra) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("chat.provider", provider);
        options.put("chat.base-url", provider.equals("openai") ? server.baseUrl() : server.root());
        options.put("chat.model", "fake-chat");
        options.put("chat.timeout", "1 s");
        options.put("chat.retries.initial-backoff", "10 ms");
        options.putAll(extra);
        return ChatModels.fromOptions(options).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void answersThroughTheRealWireFormat(String provider) {
        String answer = client(provider, Map.of()).chat(null, QUESTION);

        assertThat(answer).isEqualTo("Refunds take five days to arrive. [1]");
        assertThat(server.received).hasSize(1);
        assertThat(server.received.get(0).path("model").asText()).isEqualTo("fake-chat");
        assertThat(server.received.get(0).path("messages").get(0).path("role").asText()).isEqualTo("system");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void retriesRateLimitsServerErrorsAndTimeouts(String provider) {
        server.rateLimitNext.set(1);
        server.serverErrorNext.set(1);
        server.hangNext.set(1);

        String answer = client(provider, Map.of("chat.retries.max", "3")).chat(null, QUESTION);

        assertThat(answer).contains("five days");
        assertThat(server.requests).hasValue(4);
    }

    @Test
    void waitsAsLongAsRetryAfterAsks() {
        server.rateLimitNext.set(1);
        server.retryAfter = "1";
        long started = System.nanoTime();

        client("openai", Map.of()).chat(null, QUESTION);

        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void failsForGoodWhenTheRetriesRunOut(String provider) {
        server.serverErrorNext.set(10);

        assertThatThrownBy(() -> client(provider, Map.of("chat.retries.max", "2")).chat(null, QUESTION))
                .isInstanceOfSatisfying(ChatFailedException.class, failure -> {
                    assertThat(failure.attempts()).isEqualTo(3);
                    assertThat(failure.status()).hasValue(500);
                    assertThat(failure.transientFailure()).isTrue();
                })
                .hasMessageContaining("fake-chat failed after 3 attempts");
        assertThat(server.requests).hasValue(3);
    }

    @Test
    void doesNotRetryAnUnknownModel() {
        server.models.remove("fake-chat");

        assertThatThrownBy(() -> client("openai", Map.of()).chat(null, QUESTION))
                .isInstanceOfSatisfying(ChatFailedException.class, failure -> {
                    assertThat(failure.status()).hasValue(404);
                    assertThat(failure.transientFailure()).isFalse();
                });
        assertThat(server.requests).hasValue(1);
    }

    @Test
    void answersWithAnAllowedModelAndRefusesOthersBeforeCalling() {
        ChatClient client = client("openai", Map.of("chat.allowed-models", "fake-chat-large"));

        client.chat("fake-chat-large", QUESTION);
        assertThat(server.received.get(0).path("model").asText()).isEqualTo("fake-chat-large");

        assertThatThrownBy(() -> client.chat("gpt-expensive", QUESTION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'gpt-expensive' is not served here; allowed: fake-chat, fake-chat-large");
        assertThat(server.requests).hasValue(1);
    }

    @Test
    void sendsTheKeyFromTheEnvironmentAndNeverPrintsIt() {
        String variable = System.getenv().containsKey("HOME") ? "HOME" : "PATH";
        ChatClient client = client("openai", Map.of("chat.api-key-env", variable));

        client.chat(null, QUESTION);

        assertThat(server.authorizations).containsExactly("Bearer " + System.getenv(variable));
        assertThat(client.toString()).doesNotContain(System.getenv(variable)).contains("$" + variable);
    }

    @Test
    void refusesOptionsThatDoNotApply() {
        assertThatThrownBy(() -> client("ollama", Map.of("chat.api-key-env", "KEY")))
                .hasMessage("option 'chat.api-key-env' does not apply to chat.provider=ollama");
        assertThatThrownBy(() -> ChatModels.fromOptions(Map.of("chat.model", "x")))
                .hasMessage("option 'chat.model' is set but 'chat.provider' is not");
        assertThatThrownBy(() -> ChatModels.fromOptions(Map.of("chat.provider", "openai", "chat.base-url", "http://x")))
                .hasMessage("option 'chat.model' is required for chat.provider=openai");
        assertThat(ChatModels.fromOptions(Map.of())).isEmpty();
    }
}
