package dev.flinkrag.table.search;

import dev.flinkrag.chunking.ChunkIds;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.Prose;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code VECTOR_SEARCH} over the {@code pgvector} and {@code lucene} tables a {@code rag-index} table keeps: a stream
 * of questions (embedded with {@code EMBED}) finds the chunks the index holds, with their document metadata, position
 * and score, sync and async.
 */
class VectorSearchITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}, async {1}")
    @CsvSource({"pgvector, false", "pgvector, true", "lucene, false", "lucene, true"})
    void questionsFindTheChunksOfTheIndexWithTheirMetadata(String store, boolean async) throws Exception {
        Prose prose = new Prose(17);
        Map<String, String> documents = Map.of("a.md", Prose.join(prose.paragraphs(6)),
                "b.md", Prose.join(prose.paragraphs(4)));
        StreamTableEnvironment tables = StreamTableEnvironment.create(TestClusters.environment(new Configuration(), 2));
        tables.executeSql("LOAD MODULE flinkrag WITH ('model.provider' = '" + HashingModelFactory.PROVIDER
                + "', 'model.name' = 'search')");
        tables.createTemporaryView("docs", tables.fromValues(documents.entrySet().stream()
                .map(d -> Row.of(d.getKey(), d.getValue(), "Title of " + d.getKey())).toArray())
                .as("doc_id", "text", "title"));
        String url = store.equals("pgvector") ? PostgresServer.get().createDatabase() : null;
        String index = temp.resolve("index").toString();
        String location = url == null ? "'path' = '" + index + "'"
                : "'url' = '" + url + "', 'username' = 'postgres', 'table-name' = 'chunks'";
        tables.executeSql("CREATE TABLE handbook (doc_id STRING, text STRING, title STRING, PRIMARY KEY (doc_id) NOT "
                + "ENFORCED) WITH ('connector' = 'rag-index', 'store' = '" + store + "', " + location
                + (url == null ? "" : ", 'create-table' = 'true'") + ", 'model.provider' = '"
                + HashingModelFactory.PROVIDER + "', 'model.name' = 'search')");
        tables.executeSql("INSERT INTO handbook SELECT * FROM docs").await();
        tables.executeSql("CREATE TABLE handbook_chunks (id STRING, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, "
                + "`ordinal` INT, title STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = '" + store + "', "
                + location + (url == null ? "" : ", 'dimension' = '" + HashingEmbeddingModel.DIMENSION + "'") + ")");

        List<String> chunks = HashingEmbeddingModel.SPLITTING.createSplitter().apply(documents.get("a.md"));
        String asked = chunks.get(2);
        tables.createTemporaryView("questions", tables.fromValues(Row.of(1, asked)).as("qid", "question"));
        tables.executeSql("CREATE TEMPORARY VIEW asked AS SELECT qid, EMBED(question) AS vector FROM questions");
        // Flink 2.2 plans VECTOR_SEARCH only as SELECT * over an un-aliased LATERAL TABLE: columns qid, vector, then
        // the chunk table's (id, text, embedding, doc_id, ordinal, title) and score
        List<Row> hits = collect(tables, "SELECT * FROM asked, LATERAL TABLE(VECTOR_SEARCH(TABLE handbook_chunks, "
                + "DESCRIPTOR(embedding), asked.vector, 3, MAP['async', '" + async + "']))");

        UUID expectedId = ChunkIds.of("a.md", chunks).get(2);
        assertThat(hits).hasSize(3);
        Row best = hits.stream().max((x, y) -> Double.compare((Double) x.getField(8), (Double) y.getField(8)))
                .orElseThrow();
        assertThat(best.getField(2)).isEqualTo(expectedId.toString());
        assertThat(best.getField(3)).isEqualTo(asked);
        assertThat(best.getField(5)).isEqualTo("a.md");
        assertThat(best.getField(6)).isEqualTo(2);
        assertThat(best.getField(7)).isEqualTo("Title of a.md");
        assertThat((Double) best.getField(8)).isCloseTo(1.0, within(1e-5));
    }

    private static List<Row> collect(StreamTableEnvironment tables, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> result = tables.executeSql(query).collect()) {
            result.forEachRemaining(rows::add);
        }
        return rows;
    }
}
