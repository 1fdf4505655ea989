package dev.flinkrag.pgvector.table;

import dev.flinkrag.testing.TableSinks;

import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL face of the pgvector sink: its options are checked when the table is used, before any connection. */
class PgVectorDynamicTableFactoryTest {

    private static Map<String, String> options(String... extra) {
        Map<String, String> options = new HashMap<>(Map.of("connector", "pgvector",
                "url", "jdbc:postgresql://db:5432/rag", "username", "rag", "password", "s3cret-password",
                "table-name", "chunks", "dimension", "384"));
        for (int i = 0; i < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        return options;
    }

    @Test
    void aTableWithTheRequiredOptionsIsAnUpsertSink() {
        DynamicTableSink sink = TableSinks.create(new PgVectorDynamicTableFactory(),
                options("create-table", "true", "hnsw.m", "24", "hnsw.ef-construction", "100",
                        "sink.buffer-flush.interval", "1 s", "sink.retries.max", "2", "sink.parallelism", "3"));
        assertThat(sink.asSummaryString()).isEqualTo("pgvector(chunks)");
    }

    @Test
    void unknownMissingAndBadOptionsAreRefusedNamingTheKeyAndNeverThePassword() {
        assertThatThrownBy(() -> TableSinks.create(new PgVectorDynamicTableFactory(), options("hnsw.mm", "4")))
                .hasStackTraceContaining("hnsw.mm").satisfies(e -> assertThat(stackTraceOf(e)).doesNotContain("s3cret"));
        Map<String, String> noUrl = options();
        noUrl.remove("url");
        assertThatThrownBy(() -> TableSinks.create(new PgVectorDynamicTableFactory(), noUrl)).hasStackTraceContaining("url");
        assertThatThrownBy(() -> TableSinks.create(new PgVectorDynamicTableFactory(), options("hnsw.m", "1")))
                .hasStackTraceContaining("option 'hnsw.m' must be between 2 and 100, was '1'")
                .satisfies(e -> assertThat(stackTraceOf(e)).doesNotContain("s3cret"));
        assertThatThrownBy(() -> TableSinks.create(new PgVectorDynamicTableFactory(),
                options("table-name", "x; DROP TABLE y")))
                .hasStackTraceContaining("option 'table-name' must be 'table' or 'schema.table'");
        assertThatThrownBy(() -> TableSinks.create(new PgVectorDynamicTableFactory(),
                options("url", "jdbc:mysql://db/rag")))
                .hasStackTraceContaining("option 'url' must be a jdbc:postgresql: URL");
    }

    @Test
    void theOldRetryKeysAreStillRead() {
        DynamicTableSink sink = TableSinks.create(new PgVectorDynamicTableFactory(),
                options("sink.max-retries", "1", "sink.retry-backoff", "50 ms"));
        assertThat(sink).isNotNull();
    }

    private static String stackTraceOf(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
