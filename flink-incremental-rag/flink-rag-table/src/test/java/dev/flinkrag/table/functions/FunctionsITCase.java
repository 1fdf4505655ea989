package dev.flinkrag.table.functions;

import dev.flinkrag.chunking.ChunkIds;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testutils.TestClusters;

import dev.langchain4j.model.embedding.EmbeddingModel;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The functions as a SQL user creates them with {@code CREATE FUNCTION … AS '<class>'} (no options: the in-process
 * model), on real documents: {@code CHUNKS} cuts and names chunks as the pipeline does, {@code EMBED} gives the real
 * model's vectors.
 */
class FunctionsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final Path KNIVES = Path.of("../../examples/sample-docs/kitchen/knife-care.md");
    private static final Path BIRDS = Path.of("../../examples/sample-docs/nature/bird-migration.md");

    private StreamTableEnvironment tables;

    @BeforeEach
    void functions() {
        tables = StreamTableEnvironment.create(TestClusters.environment(new Configuration(), 2));
        tables.executeSql("CREATE TEMPORARY FUNCTION CHUNKS AS '" + ChunksFunction.class.getName() + "'");
        tables.executeSql("CREATE TEMPORARY FUNCTION EMBED AS '" + EmbedFunction.class.getName() + "'");
    }

    @Test
    void chunksCutsAndNamesChunksAsThePipelineDoes() throws Exception {
        Map<String, String> documents = Map.of("kitchen/knife-care.md", Files.readString(KNIVES),
                "nature/bird-migration.md", Files.readString(BIRDS));
        tables.createTemporaryView("docs", tables.fromValues(
                documents.entrySet().stream().map(d -> Row.of(d.getKey(), d.getValue())).toArray()).as("doc_id", "text"));

        List<Row> rows = collect("SELECT d.doc_id, c.chunk_id, c.`ordinal`, c.text FROM docs AS d, "
                + "LATERAL TABLE(CHUNKS(d.text, 40, d.doc_id)) AS c");

        Map<String, Row> expected = new HashMap<>();
        documents.forEach((docId, text) -> {
            List<String> texts = ChunkingOptions.editStable(40).withTokenizer(InProcessModels.allMiniLmL6V2QTokenizer()).createSplitter().apply(text);
            List<UUID> ids = ChunkIds.of(docId, texts);
            for (int i = 0; i < texts.size(); i++) {
                expected.put(ids.get(i).toString(), Row.of(docId, ids.get(i).toString(), i, texts.get(i)));
            }
        });
        assertThat(expected).hasSizeGreaterThan(6);
        Map<String, Row> actual = new HashMap<>();
        rows.forEach(row -> actual.put((String) row.getField(1), row));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void embedGivesTheInProcessModelsVectorsAndNullForNull() throws Exception {
        String text = Files.readString(KNIVES).lines().filter(line -> line.length() > 40).findFirst().orElseThrow();
        tables.createTemporaryView("texts", tables.fromValues(Row.of(1, text), Row.of(2, null)).as("n", "text"));

        List<Row> rows = collect("SELECT n, EMBED(text) FROM texts");

        EmbeddingModel model = InProcessModels.allMiniLmL6V2Q().create();
        float[] expected = model.embed(text).content().vector();
        Map<Integer, Float[]> vectors = new HashMap<>();
        rows.forEach(row -> vectors.put((Integer) row.getField(0), (Float[]) row.getField(1)));
        assertThat(vectors.get(1)).hasSize(384);
        for (int i = 0; i < expected.length; i++) {
            assertThat(vectors.get(1)[i]).isCloseTo(expected[i], within(1e-6f));
        }
        assertThat(vectors).containsEntry(2, null);
    }

    /** A text the model refuses gives NULL (logged and counted); every other row gets its vector. */
    @Test
    void embedGivesNullForATextTheModelRefusesAndNothingElseIsLost() throws Exception {
        tables.executeSql("LOAD MODULE flinkrag WITH ('model.provider' = '" + HashingModelFactory.PROVIDER
                + "', 'model.name' = '" + HashingModelFactory.REFUSING + "-embed', 'embedding.batch.max-size' = '8')");
        List<Row> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add(Row.of(i, "Text number " + i + " to embed."));
        }
        tables.createTemporaryView("texts", tables.fromValues(texts.toArray()).as("n", "text"));

        // the module's EMBED, not the temporary function of the same name created for the other tests
        tables.executeSql("DROP TEMPORARY FUNCTION EMBED");
        List<Row> rows = collect("SELECT n, text, EMBED(text) FROM texts");

        assertThat(rows).hasSize(40);
        int refused = 0;
        for (Row row : rows) {
            boolean refuses = HashingEmbeddingModel.refuses(HashingModelFactory.REFUSE_ONE_TEXT_IN, (String) row.getField(1));
            refused += refuses ? 1 : 0;
            assertThat(row.getField(2) == null).as("row %s", row.getField(0)).isEqualTo(refuses);
        }
        assertThat(refused).isBetween(1, 39);
    }

    private List<Row> collect(String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> result = tables.executeSql(query).collect()) {
            result.forEachRemaining(rows::add);
        }
        return rows;
    }
}
