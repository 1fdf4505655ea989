package dev.flinkrag.table.model;

import dev.flinkrag.embedding.chat.FakeChatServer;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.Prose;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Question answering in SQL: questions embedded with {@code EMBED}, their best chunk found with {@code VECTOR_SEARCH}
 * in the index a {@code rag-index} table keeps, a numbered prompt built with {@code CONCAT}, and answered by a
 * {@code flink-rag} chat model under {@code ML_PREDICT} — a loopback server speaking OpenAI's and Ollama's chat APIs
 * that rate-limits and fails at first. Every question is answered from its chunk; a prompt the model refuses gets a
 * NULL answer and the rest flow.
 */
class ChatMlPredictITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @TempDir
    static Path temp;

    private static FakeChatServer chat;

    @BeforeAll
    static void startChat() throws Exception {
        chat = new FakeChatServer();
        chat.refuseQuestionsContaining = "PLEASE REFUSE";
    }

    @AfterAll
    static void stopChat() {
        chat.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "ollama"})
    void answersQuestionsFromTheChunksVectorSearchFinds(String provider) throws Exception {
        Prose prose = new Prose(29);
        Map<String, String> documents = Map.of("a.md", Prose.join(prose.paragraphs(6)),
                "b.md", Prose.join(prose.paragraphs(4)));
        StreamTableEnvironment tables = StreamTableEnvironment.create(TestClusters.environment(new Configuration(), 2));
        tables.executeSql("LOAD MODULE flinkrag WITH ('model.provider' = '" + HashingModelFactory.PROVIDER
                + "', 'model.name' = 'qa')");
        tables.createTemporaryView("docs", tables.fromValues(documents.entrySet().stream()
                .map(d -> Row.of(d.getKey(), d.getValue())).toArray()).as("doc_id", "text"));
        String index = temp.resolve(provider).toString();
        tables.executeSql("CREATE TABLE handbook (doc_id STRING, text STRING, PRIMARY KEY (doc_id) NOT ENFORCED) WITH ("
                + "'connector' = 'rag-index', 'store' = 'lucene', 'path' = '" + index + "', 'model.provider' = '"
                + HashingModelFactory.PROVIDER + "', 'model.name' = 'qa')");
        tables.executeSql("INSERT INTO handbook SELECT * FROM docs").await();
        tables.executeSql("CREATE TABLE handbook_chunks (id STRING, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, "
                + "PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'lucene', 'path' = '" + index + "')");
        String baseUrl = provider.equals("openai") ? chat.baseUrl() : chat.root();
        tables.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = "
                + "'flink-rag', 'chat.provider' = '" + provider + "', 'chat.base-url' = '" + baseUrl + "', "
                + "'chat.model' = 'fake-chat', 'chat.retries.initial-backoff' = '10ms', "
                + "'chat.retries.max-backoff' = '20ms')");

        List<String> chunks = HashingEmbeddingModel.SPLITTING.createSplitter().apply(documents.get("a.md"));
        Map<Integer, String> asked = Map.of(1, chunks.get(1), 2, chunks.get(3), 3, chunks.get(4) + " PLEASE REFUSE");
        tables.createTemporaryView("questions", tables.fromValues(asked.entrySet().stream()
                .map(q -> Row.of(q.getKey(), q.getValue())).toArray()).as("qid", "question"));
        tables.executeSql("CREATE TEMPORARY VIEW asked AS SELECT qid, question, EMBED(question) AS vector FROM questions");
        // Flink 2.2 plans VECTOR_SEARCH only as SELECT * over an un-aliased LATERAL TABLE: a view of its own
        tables.executeSql("CREATE TEMPORARY VIEW context AS SELECT * FROM asked, LATERAL TABLE(VECTOR_SEARCH("
                + "TABLE handbook_chunks, DESCRIPTOR(embedding), asked.vector, 1))");
        tables.executeSql("CREATE TEMPORARY VIEW prompts AS SELECT qid, CONCAT('Context:', CHR(10), '[1] ', text, "
                + "CHR(10), CHR(10), 'Question: ', question) AS prompt FROM context");
        chat.rateLimitNext.set(2);
        chat.serverErrorNext.set(1);

        Map<Integer, String> answers = new HashMap<>();
        try (CloseableIterator<Row> rows = tables.executeSql("SELECT qid, answer FROM ML_PREDICT(TABLE prompts, "
                + "MODEL answerer, DESCRIPTOR(prompt))").collect()) {
            rows.forEachRemaining(row -> answers.put((Integer) row.getField(0), (String) row.getField(1)));
        }

        assertThat(answers).containsOnlyKeys(1, 2, 3);
        for (int qid : List.of(1, 2)) {
            String chunk = asked.get(qid);
            String firstSentence = chunk.strip().split("(?<=[.!?])\\s", 2)[0].strip();
            assertThat(answers.get(qid)).as("question %d", qid).isEqualTo(firstSentence + " [1]");
        }
        assertThat(answers.get(3)).as("the refused prompt").isNull();
    }
}
