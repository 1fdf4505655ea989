package dev.flinkrag.source.postgres;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.pipeline.ChunkChangeConverter;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.testing.DocumentHistory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testing.Prose;
import dev.flinkrag.testutils.Await;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.PostgresServer;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A documents table in a real PostgreSQL (wal_level=logical, a local process) through the PostgreSQL source and
 * the pipeline into a pgvector table: the index always ends equal to a from-scratch index of the table's rows.
 */
class PostgresDocumentSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final Duration CONVERGENCE = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    /**
     * A third of a random history is in the table before the job starts (the snapshot, read in pages of 5); the
     * rest is written while it runs, with a transaction changing one document twice, a changed id and updates that
     * leave a large out-of-line body untouched. Failovers from checkpoints hit both the snapshot and the stream.
     */
    @Test
    void snapshotThenLiveChangesWithFailoversEndInTheFromScratchIndex() throws Exception {
        String url = documentsDatabase("UTF8");
        DocumentHistory history = DocumentHistory.random(23, 30, 180);
        List<DocumentChange> changes = history.changes();
        int beforeStart = changes.size() / 3;
        TableWriter table = new TableWriter(url);
        table.apply(changes.subList(0, beforeStart));
        long slotStart;

        InjectedFailures.reset();
        StreamExecutionEnvironment env = TestClusters.restarting(2);
        DataStream<DocumentChange> documents = env.fromSource(source(url, "history").snapshotFetchSize(5).build(),
                        WatermarkStrategy.noWatermarks(), "postgres documents")
                .map(new InjectedFailures<>(12, 60))
                .setParallelism(1);
        indexInto(url, index(documents));
        JobClient job = env.executeAsync("postgres documents");
        try {
            Await.equal(() -> InjectedFailures.FAILURES.get() > 0, () -> true, CONVERGENCE);
            slotStart = confirmedPosition(url, "history");
            table.apply(changes.subList(beforeStart, changes.size()));
            table.changeTwiceInOneTransaction("doc-1.md", "A first rewrite, soon replaced.",
                    "The second rewrite in the same transaction is what stays.");
            table.renameId("doc-2.md", "doc-2-renamed.md");
            table.retitleOnly("doc-3.md", "Retitled without touching the body");
            Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), () -> fromScratch(table.rows()), CONVERGENCE);
            assertThat(InjectedFailures.FAILURES).hasValue(2);
            assertThat(IndexOracle.storedInPgVector(url, "chunks")).hasSizeGreaterThan(100);
            Await.equal(() -> confirmedPosition(url, "history") > slotStart, () -> true, CONVERGENCE);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * In a SQL_ASCII database (which stores any bytes) a row with a NULL body, a body that is not UTF-8 and a
     * title that is not UTF-8, in the snapshot and in the stream, are dead-lettered naming the document and the
     * column; the good rows are all indexed.
     */
    @Test
    void badRowsAreDeadLetteredAndNothingElseIsLost() throws Exception {
        String url = documentsDatabase("SQL_ASCII");
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO documents VALUES ('good-1', 'The first good document.', 'One'),"
                    + " ('null-body', NULL, 'Nothing'), ('latin-1-body', convert_from('\\x636166e9'::bytea, 'SQL_ASCII'), 'Cafe')");
        }
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        env.enableCheckpointing(100);
        DataStream<DocumentChange> documents = env.fromSource(source(url, "bad_rows").build(),
                WatermarkStrategy.noWatermarks(), "postgres documents");
        IndexingPipeline.Embedded result = index(documents);
        indexInto(url, result);
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<DeadLetter> letters = result.deadLetters().executeAndCollect()) {
            deadLetters.add(letters.next());
            deadLetters.add(letters.next());
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO documents VALUES ('good-2', 'The second good document.', 'Two')");
                statement.execute("UPDATE documents SET body = NULL WHERE id = 'good-1'");
                statement.execute("INSERT INTO documents VALUES ('latin-1-title', 'A fine body.', "
                        + "convert_from('\\x4e61ef7665'::bytea, 'SQL_ASCII'))");
                statement.execute("INSERT INTO documents VALUES ('good-3', 'The third good document.', 'Three')");
            }
            deadLetters.add(letters.next());
            deadLetters.add(letters.next());
            Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), () -> IndexOracle.fromScratch(List.of(
                            DocumentChange.upsert("good-2", 1, "The second good document.", Map.of("title", "Two")),
                            DocumentChange.upsert("good-3", 1, "The third good document.", Map.of("title", "Three"))),
                    HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf), CONVERGENCE);
        }
        assertThat(deadLetters).extracting(DeadLetter::docId)
                .containsExactlyInAnyOrder("null-body", "latin-1-body", "good-1", "latin-1-title");
        assertThat(deadLetters).extracting(DeadLetter::reason).satisfiesExactlyInAnyOrder(
                reason -> assertThat(reason).contains("document null-body").contains("column 'body' is NULL"),
                reason -> assertThat(reason).contains("document latin-1-body").contains("column 'body' is not valid UTF-8"),
                reason -> assertThat(reason).contains("document good-1").contains("column 'body' is NULL"),
                reason -> assertThat(reason).contains("document latin-1-title").contains("column 'title' is not valid UTF-8"));
    }

    /**
     * Stop with a savepoint, change two of six documents while the job is away (an added paragraph, a delete),
     * resume: the index catches up and only the chunks whose text is new are embedded.
     */
    @Test
    void aResumeFromASavepointEmbedsOnlyWhatChanged() throws Exception {
        String url = documentsDatabase("UTF8");
        Prose prose = new Prose(9);
        TableWriter table = new TableWriter(url);
        for (int i = 0; i < 6; i++) {
            table.apply(List.of(DocumentChange.upsert("doc-" + i, 1, Prose.join(prose.paragraphs(3 + i)),
                    Map.of("title", "Document " + i, "path", "doc-" + i))));
        }
        JobClient first = startResumable(url, null);
        Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), () -> fromScratch(table.rows()), CONVERGENCE);
        String savepoint = first.stopWithSavepoint(false, temp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        Set<String> textsBefore = textsOf(fromScratch(table.rows()));
        HashingEmbeddingModel.reset();

        String added = prose.paragraph();
        DocumentChange edited = table.rows().stream().filter(row -> row.docId().equals("doc-2")).findFirst().orElseThrow();
        table.apply(List.of(DocumentChange.upsert("doc-2", 2, edited.text() + "\n\n" + added, edited.metadata()),
                DocumentChange.delete("doc-4", 2)));
        JobClient resumed = startResumable(url, savepoint);
        try {
            Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), () -> fromScratch(table.rows()), CONVERGENCE);
        } finally {
            resumed.cancel().get();
        }
        Set<String> newTexts = textsOf(fromScratch(table.rows()));
        newTexts.removeAll(textsBefore);
        // the appended paragraph may also re-cut the chunks before it; what is embedded is exactly what is new
        assertThat(newTexts).isNotEmpty().anySatisfy(text -> assertThat(text).contains(added));
        assertThat(HashingEmbeddingModel.EMBEDDED.keySet()).as("only the chunks whose text is new")
                .containsExactlyInAnyOrderElementsOf(newTexts);
    }

    /**
     * While the documents table is quiet and other tables are written, the slot's confirmed position moves past
     * that traffic (so the slot does not pin the WAL), and a failover after it still restores: the position in the
     * checkpoint is never behind what the slot confirmed, and the next change is indexed.
     */
    @Test
    void aQuietTableDoesNotHoldTheSlotBackAndStillRestores() throws Exception {
        String url = documentsDatabase("UTF8");
        TableWriter table = new TableWriter(url);
        table.apply(List.of(DocumentChange.upsert("first", 1, "The first document.", Map.of("title", "First",
                "path", "first"))));
        InjectedFailures.reset();
        StreamExecutionEnvironment env = TestClusters.restarting(1);
        DataStream<DocumentChange> documents = env.fromSource(source(url, "quiet").build(),
                        WatermarkStrategy.noWatermarks(), "postgres documents")
                .map(new InjectedFailures<>(2));
        indexInto(url, index(documents));
        JobClient job = env.executeAsync("quiet table");
        try {
            Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), () -> fromScratch(table.rows()), CONVERGENCE);
            long otherTraffic;
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE other (n int)");
                for (int i = 0; i < 20; i++) {
                    statement.execute("INSERT INTO other SELECT generate_series(1, 1000)");
                }
                ResultSet lsn = statement.executeQuery("SELECT (pg_current_wal_lsn() - '0/0')::bigint");
                lsn.next();
                otherTraffic = lsn.getLong(1);
            }
            Await.equal(() -> confirmedPosition(url, "quiet") >= otherTraffic, () -> true, CONVERGENCE);
            Thread.sleep(500); // checkpoints after the slot moved

            table.apply(List.of(DocumentChange.upsert("second", 1, "The second document, after a failover.",
                    Map.of("title", "Second", "path", "second"))));
            Await.equal(() -> IndexOracle.storedInPgVector(url, "chunks"), () -> fromScratch(table.rows()), CONVERGENCE);
            assertThat(InjectedFailures.FAILURES).hasValue(1);
        } finally {
            job.cancel().get();
        }
    }

    /** A table the source cannot follow exactly is refused before anything is read, saying what to change. */
    @Test
    void aTableWithoutAUsableIdIsRefusedWithTheFix() throws Exception {
        String url = documentsDatabase("UTF8");
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (id text, body text)");
            statement.execute("CREATE TABLE keyed (id text, body text, version int, PRIMARY KEY (id, version))");
            statement.execute("CREATE UNIQUE INDEX keyed_id ON keyed (id)");
            statement.execute("CREATE PUBLICATION everything FOR TABLE documents");
        }
        assertThat(failureOf(source(url, "notes").table("notes").build()))
                .contains("column 'id' (the document id) needs a primary key or unique index");
        assertThat(failureOf(source(url, "keyed").table("keyed").build()))
                .contains("ALTER TABLE keyed REPLICA IDENTITY FULL");
        assertThat(failureOf(source(url, "truncating").publicationName("everything").build()))
                .contains("publication everything publishes TRUNCATE")
                .contains("ALTER PUBLICATION everything SET (publish = 'insert, update, delete')");
        assertThat(failureOf(source(url, "missing").textColumn("content").build()))
                .contains("table documents has no column 'content'");
        assertThatThrownBy(() -> source(url, "Bad-Slot").build())
                .hasMessageContaining("option 'slotName'");
        assertThatThrownBy(() -> source(url, "x").table("documents; DROP TABLE documents").build())
                .hasMessageContaining("option 'table'");
    }

    private String failureOf(PostgresDocumentSource source) {
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 1);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "postgres documents").print();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> env.execute("refused table"));
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    private JobClient startResumable(String url, String savepoint) throws Exception {
        Configuration configuration = new Configuration();
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = TestClusters.environment(configuration, 2);
        env.enableCheckpointing(200);
        DataStream<DocumentChange> documents = env.fromSource(source(url, "resumable").build(),
                WatermarkStrategy.noWatermarks(), "postgres documents").uid("postgres-documents");
        indexInto(url, index(documents));
        return env.executeAsync("postgres documents, resumable");
    }

    private static PostgresDocumentSource.Builder source(String url, String slot) {
        return PostgresDocumentSource.builder().url(url).username("postgres").table("documents").textColumn("body")
                .slotName(slot);
    }

    private static void indexInto(String url, IndexingPipeline.Embedded result) {
        result.chunks().sinkTo(PgVectorSink.<ChunkChange>builder()
                .options(PgVectorOptions.builder().url(url).username("postgres").table("chunks")
                        .dimension(HashingEmbeddingModel.DIMENSION).createTable(true).build())
                .flushInterval(Duration.ofMillis(20))
                .converter(new ChunkChangeConverter())
                .build());
    }

    private static IndexingPipeline.Embedded index(DataStream<DocumentChange> documents) {
        return IndexingPipeline.named("flink-rag").read(documents).parse().chunk()
                .embed(HashingEmbeddingModel.modelProvider(), EmbeddingOptions.builder().maxBatchSize(8).build());
    }

    private static Map<String, IndexOracle.Entry> fromScratch(List<DocumentChange> rows) {
        return IndexOracle.fromScratch(rows, HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf);
    }

    private static Set<String> textsOf(Map<String, IndexOracle.Entry> index) {
        Set<String> texts = new HashSet<>();
        index.values().forEach(entry -> texts.add(entry.text()));
        return texts;
    }

    /** A database with {@code documents(id text PRIMARY KEY, body text, title text, path text)}. */
    private static String documentsDatabase(String encoding) throws SQLException {
        String url = PostgresServer.get().createDatabase(encoding);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE documents (id text PRIMARY KEY, body text, title text"
                    + ("UTF8".equals(encoding) ? ", path text" : "") + ")");
            // large bodies stored out of line, so an update of another column does not resend them
            statement.execute("ALTER TABLE documents ALTER COLUMN body SET STORAGE EXTERNAL");
        }
        return url;
    }

    private static long confirmedPosition(String url, String slot) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement statement = connection.prepareStatement("SELECT (confirmed_flush_lsn - '0/0')::bigint "
                        + "FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }

    /** Writes document changes into the documents table the way an application would. */
    private static final class TableWriter {
        private final String url;
        private final Map<String, Long> applied = new HashMap<>();

        TableWriter(String url) {
            this.url = url;
        }

        /** Each change in order, skipping a change older than one already written (a history's stale resend). */
        void apply(List<DocumentChange> changes) throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
                for (DocumentChange change : changes) {
                    if (change.version() <= applied.getOrDefault(change.docId(), 0L)) {
                        continue;
                    }
                    applied.put(change.docId(), change.version());
                    if (change.kind() == DocumentChange.Kind.DELETE) {
                        execute(connection, "DELETE FROM documents WHERE id = ?", change.docId());
                    } else if (change.text().equals(bodyOf(connection, change.docId()))) {
                        execute(connection, "UPDATE documents SET title = ?, path = ? WHERE id = ?",
                                change.metadata().get("title"), change.metadata().get("path"), change.docId());
                    } else {
                        execute(connection, "INSERT INTO documents VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                                + "SET body = EXCLUDED.body, title = EXCLUDED.title, path = EXCLUDED.path",
                                change.docId(), change.text(), change.metadata().get("title"),
                                change.metadata().get("path"));
                    }
                }
            }
        }

        void changeTwiceInOneTransaction(String id, String firstBody, String secondBody) throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
                connection.setAutoCommit(false);
                execute(connection, "INSERT INTO documents VALUES (?, ?, 'Twice', ?) ON CONFLICT (id) DO UPDATE "
                        + "SET body = EXCLUDED.body", id, firstBody, id);
                execute(connection, "UPDATE documents SET body = ? WHERE id = ?", secondBody, id);
                connection.commit();
            }
        }

        void renameId(String from, String to) throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
                execute(connection, "INSERT INTO documents VALUES (?, 'A document about to be renamed.', 'Old name', ?)"
                        + " ON CONFLICT (id) DO NOTHING", from, from);
                execute(connection, "UPDATE documents SET id = ? WHERE id = ?", to, from);
            }
        }

        void retitleOnly(String id, String title) throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
                execute(connection, "INSERT INTO documents VALUES (?, ?, 'Long', ?) ON CONFLICT (id) DO NOTHING", id,
                        Prose.join(new Prose(3).paragraphs(12)), id);
                execute(connection, "UPDATE documents SET title = ? WHERE id = ?", title, id);
            }
        }

        /** The table as the final documents of a from-scratch run. */
        List<DocumentChange> rows() throws SQLException {
            List<DocumentChange> rows = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT id, body, title, path FROM documents")) {
                while (result.next()) {
                    Map<String, String> metadata = new HashMap<>();
                    metadata.put("title", result.getString(3));
                    metadata.put("path", result.getString(4));
                    metadata.values().removeIf(value -> value == null);
                    rows.add(DocumentChange.upsert(result.getString(1), 1, result.getString(2), metadata));
                }
            }
            return rows;
        }

        private static String bodyOf(Connection connection, String id) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT body FROM documents WHERE id = ?")) {
                statement.setString(1, id);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? result.getString(1) : null;
                }
            }
        }

        private static void execute(Connection connection, String sql, String... parameters) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                statement.executeUpdate();
            }
        }
    }
}
