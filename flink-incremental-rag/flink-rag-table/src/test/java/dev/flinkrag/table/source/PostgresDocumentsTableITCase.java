package dev.flinkrag.table.source;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.DocumentHistory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testutils.Await;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code 'connector' = 'postgres-documents'} into a {@code rag-index} pgvector table, all in SQL: a snapshot of a
 * real PostgreSQL table, then its live changes by logical replication, end in the from-scratch index of its rows; a
 * row with a NULL body is left out (logged and counted) and nothing else is lost.
 */
class PostgresDocumentsTableITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private final Map<String, DocumentChange> rows = new LinkedHashMap<>();

    @Test
    void aTableAndItsLiveChangesEndInTheFromScratchIndex() throws Exception {
        String url = PostgresServer.get().createDatabase();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE documents (id text PRIMARY KEY, body text, title text, path text)");
        }
        List<DocumentChange> history = DocumentHistory.random(31, 15, 120).changes();
        apply(url, history.subList(0, history.size() / 2));

        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        env.enableCheckpointing(100);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.executeSql("CREATE TABLE docs (id STRING, body STRING, title STRING, path STRING, PRIMARY KEY (id) NOT "
                + "ENFORCED) WITH ('connector' = 'postgres-documents', 'url' = '" + url + "', 'username' = 'postgres', "
                + "'table-name' = 'documents', 'text-column' = 'body', 'slot.name' = 'sql_documents', "
                + "'scan.snapshot.fetch-size' = '4')");
        // the index's input column is 'body'; the store keeps its own layout (column 'text'), which a bug once renamed
        tables.executeSql("CREATE TABLE idx (doc_id STRING, body STRING, title STRING, path STRING, PRIMARY KEY "
                + "(doc_id) NOT ENFORCED) WITH ('connector' = 'rag-index', 'store' = 'pgvector', 'url' = '" + url
                + "', 'username' = 'postgres', 'table-name' = 'chunks', 'create-table' = 'true', 'text-column' = 'body', "
                + "'model.provider' = '" + HashingModelFactory.PROVIDER + "', 'sink.buffer-flush.interval' = '20ms')");
        JobClient job = tables.executeSql("INSERT INTO idx SELECT * FROM docs").getJobClient().orElseThrow();
        try {
            Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), this::fromScratch, Duration.ofSeconds(90));
            apply(url, history.subList(history.size() / 2, history.size()));
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO documents VALUES ('no-body', NULL, 'Empty', 'no-body')");
                statement.execute("UPDATE documents SET body = NULL WHERE id = 'doc-1.md'");
            }
            rows.remove("doc-1.md");
            Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), this::fromScratch, Duration.ofSeconds(90));
        } finally {
            job.cancel().get();
        }
    }

    private Map<String, IndexOracle.Entry> fromScratch() {
        return IndexOracle.fromScratch(rows.values(), HashingEmbeddingModel.SPLITTING.createSplitter(),
                HashingEmbeddingModel::vectorOf);
    }

    /** Writes the changes into the table; stale re-sends of a history are updates to an older text here. */
    private void apply(String url, List<DocumentChange> changes) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement upsert = connection.prepareStatement("INSERT INTO documents VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET body = excluded.body, title = excluded.title, "
                        + "path = excluded.path");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM documents WHERE id = ?")) {
            for (DocumentChange change : changes) {
                if (change.kind() == DocumentChange.Kind.DELETE) {
                    delete.setString(1, change.docId());
                    delete.executeUpdate();
                    rows.remove(change.docId());
                    continue;
                }
                upsert.setString(1, change.docId());
                upsert.setString(2, change.text());
                upsert.setString(3, change.metadata().get("title"));
                upsert.setString(4, change.metadata().get("path"));
                upsert.executeUpdate();
                rows.put(change.docId(), change);
            }
        }
    }
}
