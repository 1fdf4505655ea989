package dev.flinkrag.serving.stream;

import dev.flinkrag.embedding.chat.ChatFailedException;
import dev.flinkrag.embedding.chat.FakeChatServer;
import dev.flinkrag.serving.SampleIndex;
import dev.flinkrag.serving.ServedStores;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live Q&amp;A operator in a Flink job (parallelism 2) over the sample index in Lucene and in pgvector, with the
 * chat model a loopback server speaking OpenAI's API that answers after a random delay (so answers finish out of
 * order), rate-limits and fails at first: every good question is answered from the chunk it was made from, each
 * conversation's answers leave in the order it asked, filters scope the context, and bad questions — an empty one,
 * a filter that does not parse, one the model refuses — are dead letters with their reasons while the rest flow.
 */
class LiveQuestionAnsweringITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final int CONVERSATIONS = 4;
    private static final int PER_CONVERSATION = 10;

    @TempDir
    static Path dir;

    private static FakeChatServer chat;

    @BeforeAll
    static void startChat() throws Exception {
        chat = new FakeChatServer();
        chat.maxDelayMillis = 150;
        chat.refuseQuestionsContaining = "PLEASE REFUSE";
    }

    @AfterAll
    static void stopChat() {
        chat.close();
    }

    @ParameterizedTest
    @EnumSource(ServedStores.class)
    void answersEveryGoodQuestionInOrderPerConversationAndDeadLettersTheRest(ServedStores store) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(storeOptions(store));
        options.putAll(Map.of("chat.provider", "openai", "chat.base-url", chat.baseUrl(), "chat.model", "fake-chat",
                "chat.retries.initial-backoff", "10ms", "chat.retries.max-backoff", "20ms", "qa.concurrency", "4"));

        List<SampleIndex.Chunk> chunks = SampleIndex.chunks();
        List<Question> questions = new ArrayList<>();
        Map<String, SampleIndex.Chunk> madeFrom = new HashMap<>();
        for (int i = 0; i < PER_CONVERSATION; i++) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                SampleIndex.Chunk chunk = chunks.get((i * CONVERSATIONS + c) * 3 % chunks.size());
                String id = String.format("c%d-%02d", c, i);
                questions.add(new Question(id, "conversation-" + c, chunk.text(), null));
                madeFrom.put(id, chunk);
            }
        }
        questions.add(new Question("kitchen-only", "scoped", "How do I keep a knife sharp?", "tenant == 'kitchen'"));
        questions.add(new Question("empty", "conversation-0", "  ", null));
        questions.add(new Question("bad-filter", "conversation-1", "what is RAG?", "owner == "));
        questions.add(new Question("refused", "conversation-2", "PLEASE REFUSE this one", null));
        chat.rateLimitNext.set(3);
        chat.serverErrorNext.set(2);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Question> source = env.fromData(questions).setParallelism(1);
        LiveQuestionAnswering.Answers answers = LiveQuestionAnswering.answer(source, options);
        List<AnsweredQuestion> answered = new ArrayList<>();
        List<UnansweredQuestion> unanswered = new ArrayList<>();
        try (CloseableIterator<AnsweredQuestion> a = answers.answers().collectAsync();
                CloseableIterator<UnansweredQuestion> u = answers.unanswered().collectAsync()) {
            env.execute("live Q&A");
            a.forEachRemaining(answered::add);
            u.forEachRemaining(unanswered::add);
        }

        assertThat(answered).hasSize(CONVERSATIONS * PER_CONVERSATION + 1);
        for (AnsweredQuestion answer : answered) {
            assertThat(answer.answer()).as(answer.id()).isNotBlank().contains("[1]");
            assertThat(answer.sources()).as(answer.id()).isNotEmpty().hasSameSizeAs(answer.chunkIds());
            SampleIndex.Chunk chunk = madeFrom.get(answer.id());
            if (chunk != null) {
                assertThat(answer.chunkIds().get(0)).as("answer to %s cites its chunk", answer.id()).isEqualTo(chunk.id());
                assertThat(answer.sources().get(0)).endsWith(chunk.docId());
                assertThat(answer.question()).isEqualTo(chunk.text());
            }
        }
        for (int c = 0; c < CONVERSATIONS; c++) {
            String key = "conversation-" + c;
            List<String> order = answered.stream().filter(answer -> answer.key().equals(key))
                    .map(AnsweredQuestion::id).toList();
            assertThat(order).as("answers of %s in the order it asked", key).hasSize(PER_CONVERSATION)
                    .isSortedAccordingTo(Comparator.naturalOrder());
        }
        AnsweredQuestion scoped = answered.stream().filter(answer -> answer.id().equals("kitchen-only")).findFirst()
                .orElseThrow();
        assertThat(scoped.sources()).allSatisfy(path -> assertThat(path).contains("/kitchen/"));

        Map<String, String> reasons = new HashMap<>();
        unanswered.forEach(letter -> reasons.put(letter.id(), letter.reason()));
        assertThat(reasons).containsOnlyKeys("empty", "bad-filter", "refused");
        assertThat(reasons.get("empty")).isEqualTo("field 'text' is empty");
        assertThat(reasons.get("bad-filter")).startsWith("field 'filter': ");
        assertThat(reasons.get("refused")).isEqualTo("the chat model refused the question (HTTP 400)");
        assertThat(unanswered).filteredOn(letter -> letter.id().equals("refused"))
                .extracting(UnansweredQuestion::question).containsExactly("PLEASE REFUSE this one");
    }

    /** A chat model still failing after its retries is no question's fault: the job fails (and would restart). */
    @Test
    void aChatModelThatKeepsFailingFailsTheJobInsteadOfDeadLetteringEveryQuestion() throws Exception {
        Map<String, String> options = new LinkedHashMap<>(storeOptions(ServedStores.LUCENE));
        options.putAll(Map.of("chat.provider", "openai", "chat.base-url", chat.baseUrl(), "chat.model", "fake-chat",
                "chat.retries.initial-backoff", "10ms", "chat.retries.max-backoff", "20ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LiveQuestionAnswering.Answers answers = LiveQuestionAnswering.answer(
                env.fromData(Question.of("q1", "How do I keep a knife sharp?")), options);
        answers.answers().sinkTo(new DiscardingSink<>());
        answers.unanswered().sinkTo(new DiscardingSink<>());
        chat.serverErrorNext.set(1_000);
        try {
            assertThatThrownBy(() -> env.execute("chat model down"))
                    .satisfies(failure -> assertThat(ExceptionUtils.findThrowable(failure, ChatFailedException.class))
                            .isPresent());
        } finally {
            chat.serverErrorNext.set(0);
        }
    }

    @Test
    void refusesUnknownOptionsWhenTheJobIsBuilt() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Question> source = env.fromData(Question.of("q", "what?"));
        assertThatThrownBy(() -> LiveQuestionAnswering.answer(source, Map.of("store", "lucene", "path", "/tmp",
                "qa.concurency", "4")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option 'qa.concurency'")
                .hasMessageContaining("qa.concurrency");
        assertThatThrownBy(() -> LiveQuestionAnswering.answer(source, Map.of("path", "/tmp")))
                .hasMessage("option 'store' is required: lucene or pgvector");
        assertThatThrownBy(() -> LiveQuestionAnswering.answer(source, Map.of("store", "lucene", "qa.concurrency", "0")))
                .hasMessage("option 'qa.concurrency' must be at least 1, was 0");
    }

    private static Map<String, String> storeOptions(ServedStores store) throws Exception {
        if (store == ServedStores.LUCENE) {
            Path path = dir.resolve("lucene");
            store.write(path).close();
            return Map.of("store", "lucene", "path", path.resolve("index").toString());
        }
        String url = PostgresServer.get().createDatabase();
        ServedStores.writePgVector(url).close();
        return Map.of("store", "pgvector", "url", url, "username", "postgres", "table-name", "docs");
    }
}
