package dev.flinkrag.pgvector;

import dev.flinkrag.sink.InvalidOperation;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.sink.VectorOperationValidator;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad records before a pgvector sink go to the dead-letter output, named by id and field; the rest arrive. */
class PgVectorDeadLettersITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    /** Records as {@code id|what}: what makes the record good or bad. */
    static final class LineConverter implements VectorOperationConverter<String> {
        @Override
        public VectorOperation convert(String line) {
            String[] parts = line.split("\\|", -1);
            String id = parts[0];
            return switch (parts[1]) {
                case "short" -> VectorOperation.upsert(id, "t", new float[] {1, 0}, Map.of());
                case "nan" -> VectorOperation.upsert(id, "t", new float[] {Float.NaN, 0, 0}, Map.of());
                case "big" -> VectorOperation.upsert(id, "t", new float[] {1, 0, 0}, Map.of("note", "x".repeat(2000)));
                case "list" -> VectorOperation.upsert(id, "t", new float[] {1, 0, 0}, Map.of("tags", List.of("a")));
                case "delete" -> VectorOperation.delete(id);
                default -> VectorOperation.upsert(id, "text " + id, new float[] {1, 0, 0}, Map.of("n", 1));
            };
        }
    }

    @Test
    void badRecordsAreDeadLetteredNamingIdAndFieldAndNothingElseIsLost() throws Exception {
        String url = PostgresServer.get().createDatabase();
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        LineConverter converter = new LineConverter();
        VectorOperationValidator.Validated<String> checked = VectorOperationValidator.validate(
                env.fromData(Types.STRING, "a|ok", "b|short", "c|nan", "|ok", "d|big", "e|list", "f|ok", "a2|ok",
                        "a2|delete"),
                converter, 3, 1024);
        checked.valid().sinkTo(PgVectorSink.<String>builder()
                .options(PgVectorOptions.builder().url(url).username("postgres").table("chunks").dimension(3)
                        .createTable(true).maxMetadataBytes(1024).build())
                .converter(converter).build());
        List<InvalidOperation<String>> invalid = new ArrayList<>();
        try (CloseableIterator<InvalidOperation<String>> results = checked.invalid().executeAndCollect()) {
            results.forEachRemaining(invalid::add);
        }

        Map<String, String> reasons = new TreeMap<>();
        invalid.forEach(operation -> reasons.put(operation.record(), operation.reason()));
        assertThat(reasons).containsOnlyKeys("b|short", "c|nan", "|ok", "d|big", "e|list");
        assertThat(reasons.get("b|short")).contains("id b").contains("'vector'").contains("2 dimensions");
        assertThat(reasons.get("c|nan")).contains("id c").contains("'vector'").contains("non-finite");
        assertThat(reasons.get("|ok")).contains("has no id");
        assertThat(reasons.get("d|big")).contains("id d").contains("'metadata'").contains("more than 1024");
        assertThat(reasons.get("e|list")).contains("id e").contains("metadata key 'tags'");
        assertThat(PgVectorTables.read(url, "chunks")).containsOnlyKeys("a", "f");
    }
}
