package dev.flinkrag.table.model;

import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code CREATE MODEL … WITH ('provider' = 'flink-rag')} under {@code ML_PREDICT}, async and sync: every row gets
 * its text's vector, a repeated text is embedded once, and async rows share batched model calls.
 */
class MlPredictITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private StreamTableEnvironment tables;

    @BeforeEach
    void model() {
        HashingEmbeddingModel.reset();
        tables = StreamTableEnvironment.create(TestClusters.environment(new Configuration(), 1));
        tables.getConfig().set("table.exec.async-ml-predict.max-concurrent-operations", "64");
    }

    @ParameterizedTest(name = "async {0}")
    @ValueSource(booleans = {true, false})
    void everyRowGetsItsTextsVectorAndRepeatedTextsAreEmbeddedOnce(boolean async) throws Exception {
        tables.executeSql("CREATE MODEL embedder INPUT (question STRING) OUTPUT (embedding ARRAY<FLOAT>) WITH ("
                + "'provider' = 'flink-rag', 'model.provider' = '" + HashingModelFactory.PROVIDER + "', "
                + "'model.name' = 'ml-predict-" + async + "', 'embedding.batch.max-size' = '32')");
        List<Row> questions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            questions.add(Row.of(i, "Question number " + (i % 150) + ": how do I sharpen a knife?"));
        }
        tables.createTemporaryView("questions", tables.fromValues(questions.toArray()).as("id", "question"));

        List<Row> rows = collect("SELECT id, question, embedding FROM ML_PREDICT(TABLE questions, MODEL embedder, "
                + "DESCRIPTOR(question), MAP['async', '" + async + "'])");

        assertThat(rows).hasSize(200);
        for (Row row : rows) {
            float[] expected = HashingEmbeddingModel.vectorOf((String) row.getField(1));
            Float[] vector = (Float[]) row.getField(2);
            assertThat(vector).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(vector[i]).isEqualTo(expected[i]);
            }
        }
        assertThat(HashingEmbeddingModel.EMBEDDED).hasSize(150);
        assertThat(HashingEmbeddingModel.EMBEDDED.values()).allSatisfy(count -> assertThat(count.get()).isOne());
        if (async) {
            assertThat(HashingEmbeddingModel.CALLS.get()).as("model calls for 150 texts").isLessThanOrEqualTo(15);
        }
    }

    @Test
    void aModelOfAnotherShapeOrAChatModelWithoutAProviderIsRefusedNamingIt() {
        tables.executeSql("CREATE MODEL chat INPUT (question STRING) OUTPUT (answer STRING) WITH ("
                + "'provider' = 'flink-rag')");
        tables.executeSql("CREATE MODEL counter INPUT (question STRING) OUTPUT (n INT) WITH ('provider' = 'flink-rag')");
        tables.createTemporaryView("questions", tables.fromValues(Row.of(1, "q")).as("id", "question"));

        assertThatThrownBy(() -> tables.explainSql("SELECT * FROM ML_PREDICT(TABLE questions, MODEL chat, "
                + "DESCRIPTOR(question))"))
                .rootCause().hasMessageContaining("model default_catalog.default_database.chat: a model with a STRING "
                        + "output is a chat model and needs 'chat.provider'");
        assertThatThrownBy(() -> tables.explainSql("SELECT * FROM ML_PREDICT(TABLE questions, MODEL counter, "
                + "DESCRIPTOR(question))"))
                .rootCause().hasMessageContaining("model default_catalog.default_database.counter: a flink-rag model "
                        + "has one OUTPUT column of type ARRAY<FLOAT> (an embedding model) or STRING (a chat model)");
    }

    private List<Row> collect(String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> result = tables.executeSql(query).collect()) {
            result.forEachRemaining(rows::add);
        }
        return rows;
    }
}
