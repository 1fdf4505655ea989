package dev.flinkrag.serving.answer;

import dev.flinkrag.embedding.chat.FakeChatServer;
import dev.flinkrag.serving.HttpTestClient;
import dev.flinkrag.serving.RagServer;
import dev.flinkrag.serving.SampleIndex;
import dev.flinkrag.serving.ServedStores;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.retrieval.RetrievedChunk;
import dev.flinkrag.serving.security.AccessControl;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /v2/answer} and {@code /v2/summarize} with a chat model: servers over the sample index whose chat model is
 * a loopback server speaking OpenAI's and Ollama's real chat APIs. The prompt carries the retrieved chunks as
 * numbered passages and the question last, the answer comes back with the chunks it cites, tenants stay scoped,
 * only allowed models are called, and a failing model is a 503/502 that does not leak the upstream's reason.
 */
class ChatAnswerITCase {

    private static final String KITCHEN = "kitchen-token-0123456789abcdef";
    private static final String ADMIN = "admin-token-0123456789abcdef";

    @TempDir
    static Path dir;

    private static FakeChatServer chat;
    private static ServedIndex index;
    private static RagServer openAi;
    private static RagServer ollama;

    @BeforeAll
    static void serve() throws Exception {
        chat = new FakeChatServer();
        index = ServedStores.LUCENE.write(dir);
        AccessControl access = AccessControl.withTokens(ADMIN, AccessControl.parseTenantTokens("kitchen=" + KITCHEN),
                "tenant");
        openAi = ServedStores.serve(index, access, Map.of("chat.provider", "openai", "chat.base-url", chat.baseUrl(),
                "chat.model", "fake-chat", "chat.allowed-models", "fake-chat-large", "chat.retries.initial-backoff",
                "10ms", "chat.retries.max-backoff", "20ms"));
        ollama = ServedStores.serve(index, access, Map.of("chat.provider", "ollama", "chat.base-url", chat.root(),
                "chat.model", "fake-chat", "chat.retries.initial-backoff", "10ms"));
    }

    @AfterAll
    static void stop() throws Exception {
        openAi.close();
        ollama.close();
        index.close();
        chat.close();
    }

    @BeforeEach
    void resetFaults() {
        chat.received.clear();
        chat.serverErrorNext.set(0);
        chat.models.add("fake-chat-large");
    }

    private static HttpTestClient client(String provider) {
        return new HttpTestClient((provider.equals("openai") ? openAi : ollama).port()).withToken(ADMIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void answersFromNumberedContextCitingTheChunksUsed(String provider) {
        String question = "How often should I feed a sourdough starter?";
        JsonNode answer = client(provider).post("/v2/answer", Map.of("prompt", question, "return_context_docs", true))
                .json();

        JsonNode context = answer.get("context_docs");
        assertThat(context).hasSize(5);
        assertThat(chat.received).hasSize(1);
        JsonNode messages = chat.received.get(0).get("messages");
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText()).isEqualTo(ChatAnswerer.ANSWER_INSTRUCTIONS);
        String prompt = messages.get(1).get("content").asText();
        for (int i = 0; i < context.size(); i++) {
            assertThat(prompt).contains("[" + (i + 1) + "] " + context.get(i).get("text").asText().strip()
                    + "\n(source: " + context.get(i).get("metadata").get("path").asText() + ")");
        }
        assertThat(prompt).endsWith("\n\nQuestion: " + question);

        // The model cites one passage by its context number; the answer cites it as [1], its first source.
        String expected = FakeChatServer.answer(prompt);
        int cited = Integer.parseInt(expected.replaceAll(".*\\[(\\d+)]$", "$1"));
        assertThat(answer.get("response").asText()).isEqualTo(expected.replaceAll("\\[\\d+]$", "[1]"));
        JsonNode sources = answer.get("sources");
        assertThat(sources).hasSize(1);
        assertThat(sources.get(0).get("id").asText()).isEqualTo(context.get(cited - 1).get("id").asText());
        assertThat(sources.get(0).get("doc_id").asText()).isEqualTo("kitchen/sourdough-starter.md");
    }

    @Test
    void citationsAreRenumberedInTheOrderTheAnswerCitesThem() {
        List<RetrievedChunk> context = List.of(chunk("a"), chunk("b"), chunk("c"));
        Answer answer = ChatAnswerer.cited("Rye works [3], as does wheat [1, 3]; see [7] and [99999999999].", context);
        assertThat(answer.response()).isEqualTo("Rye works [1], as does wheat [2, 1]; see [7] and [99999999999].");
        assertThat(answer.sources()).extracting(RetrievedChunk::id).containsExactly("c", "a");
        assertThat(ChatAnswerer.cited("No citation.", context).sources()).isEqualTo(context);
    }

    @Test
    void aTenantsAnswerIsDrawnFromItsDocumentsOnly() {
        JsonNode answer = new HttpTestClient(openAi.port()).withToken(KITCHEN).post("/v2/answer",
                Map.of("prompt", "How do glaciers carve valleys?", "filters", "tenant == 'nature'",
                        "return_context_docs", true)).json();
        answer.get("context_docs").forEach(doc ->
                assertThat(doc.get("metadata").get("tenant").asText()).isEqualTo("kitchen"));
        String prompt = chat.received.get(0).get("messages").get(1).get("content").asText();
        for (SampleIndex.Doc doc : SampleIndex.documents()) {
            if (!doc.id().startsWith("kitchen/")) {
                doc.chunks().forEach(chunk -> assertThat(prompt).doesNotContain(chunk.text().strip()));
            }
        }
    }

    @Test
    void onlyTheDefaultAndAllowedModelsAreCalled() {
        assertThat(client("openai").post("/v2/answer", Map.of("prompt", "Why is coffee bitter?", "model",
                "fake-chat-large")).status()).isEqualTo(200);
        assertThat(chat.received.get(0).get("model").asText()).isEqualTo("fake-chat-large");

        HttpTestClient.Response refused = client("openai").post("/v2/answer",
                Map.of("prompt", "Why is coffee bitter?", "model", "gpt-5"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText())
                .isEqualTo("field 'model': model 'gpt-5' is not served here; allowed: fake-chat, fake-chat-large");
        HttpTestClient.Response summary = client("ollama").post("/v2/summarize",
                Map.of("text_list", List.of("x"), "model", "fake-chat-large"));
        assertThat(summary.status()).isEqualTo(400);
        assertThat(chat.received).hasSize(1);
    }

    @Test
    void aFailingModelIsA503OrA502WithoutTheUpstreamsReason() {
        chat.serverErrorNext.set(3);
        HttpTestClient.Response exhausted = client("openai").post("/v2/answer", Map.of("prompt", "Why is coffee bitter?"));
        assertThat(exhausted.status()).isEqualTo(503);
        assertThat(exhausted.json().get("error").asText())
                .isEqualTo("the chat model failed after 3 attempts (HTTP 500); try again later");
        assertThat(chat.received).hasSize(3);

        chat.serverErrorNext.set(1);
        assertThat(client("ollama").post("/v2/answer", Map.of("prompt", "Why is coffee bitter?")).status())
                .as("one 500, then an answer").isEqualTo(200);

        chat.models.remove("fake-chat-large");
        HttpTestClient.Response missing = client("openai").post("/v2/answer",
                Map.of("prompt", "Why is coffee bitter?", "model", "fake-chat-large"));
        assertThat(missing.status()).isEqualTo(502);
        assertThat(missing.body()).isEqualTo("{\"error\":\"the chat model failed after 1 attempt (HTTP 404)\"}")
                .doesNotContain("does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "ollama"})
    void summariesComeFromTheChatModel(String provider) {
        List<String> texts = List.of("Glaciers are rivers of ice. They move slowly.",
                "Tide pools hold anemones and crabs between the tides.");
        HttpTestClient.Response summary = client(provider).post("/v2/summarize", Map.of("text_list", texts));
        JsonNode messages = chat.received.get(0).get("messages");
        assertThat(messages.get(0).get("content").asText()).isEqualTo(ChatAnswerer.SUMMARY_INSTRUCTIONS);
        String prompt = messages.get(1).get("content").asText();
        assertThat(prompt).isEqualTo("[1] " + texts.get(0) + "\n\n[2] " + texts.get(1));
        assertThat(summary.json().asText()).isEqualTo(FakeChatServer.answer(prompt));
    }

    @Test
    void chatOptionsAreCheckedAtStartup() {
        assertThatThrownBy(() -> ServedStores.serve(index, AccessControl.open(), Map.of("chat.model", "fake-chat")))
                .hasMessage("option 'chat.model' is set but 'chat.provider' is not");
        assertThatThrownBy(() -> ServedStores.serve(index, AccessControl.open(), Map.of("chat.provider", "openai",
                "chat.model", "fake-chat"))).hasMessage("option 'chat.base-url' is required for chat.provider=openai");
    }

    private static RetrievedChunk chunk(String id) {
        return new RetrievedChunk(id, "text of " + id, Map.of(), 0.5, 0.5);
    }
}
