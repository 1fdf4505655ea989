package dev.flinkrag.table.source;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.table.HashingModelFactory;
import dev.flinkrag.testing.FolderOracle;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testutils.Await;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code 'connector' = 'document-folder'}: the example documents as a SQL table, read once and watched into an index. */
class DocumentFolderTableITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final Path SAMPLE_DOCS = Path.of("../../examples/sample-docs");

    @TempDir
    Path temp;

    private Path docs;

    @BeforeEach
    void copySampleDocuments() throws IOException {
        HashingEmbeddingModel.reset();
        docs = temp.resolve("docs");
        try (Stream<Path> files = Files.walk(SAMPLE_DOCS)) {
            for (Path file : files.toList()) {
                Path target = docs.resolve(SAMPLE_DOCS.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    @Test
    void aFolderReadOnceIsATableOfItsReadableDocumentsWithTypedMetadata() throws Exception {
        Files.write(docs.resolve("latin1.txt"), "Caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(docs.resolve("binary.md"), new byte[] {0, 1, 2, 3, (byte) 0xff, 0, 0});
        StreamTableEnvironment tables = StreamTableEnvironment.create(TestClusters.environment(new Configuration(), 2));
        tables.executeSql("CREATE TABLE docs (doc_id STRING, text STRING, file_name STRING, size_bytes BIGINT, "
                + "modified_at TIMESTAMP_LTZ(3), title STRING, PRIMARY KEY (doc_id) NOT ENFORCED) "
                + "WITH ('connector' = 'document-folder', 'path' = '" + docs + "')");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> result = tables.executeSql("SELECT * FROM docs").collect()) {
            result.forEachRemaining(rows::add);
        }

        List<DocumentChange> readable = FolderOracle.documents(docs, path -> !path.equals("latin1.txt")
                && !path.equals("binary.md"));
        assertThat(readable).hasSizeGreaterThan(20);
        assertThat(rows).extracting(Row::getKind).containsOnly(RowKind.INSERT);
        Map<String, Row> byId = new HashMap<>();
        rows.forEach(row -> byId.put((String) row.getField(0), row));
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(
                readable.stream().map(DocumentChange::docId).toList());
        for (DocumentChange document : readable) {
            Row row = byId.get(document.docId());
            assertThat(row.getField(1)).isEqualTo(document.text());
            assertThat(row.getField(2)).isEqualTo(document.metadata().get("file_name"));
            assertThat(row.getField(3)).isEqualTo(Long.parseLong(document.metadata().get("size_bytes")));
            assertThat(row.getField(4)).isEqualTo(Instant.parse(document.metadata().get("modified_at")));
            assertThat(row.getField(5)).isNull();
        }
    }

    @Test
    void editsRenamesAndDeletesInAWatchedFolderReachTheIndexAndOnlyNewTextIsEmbedded() throws Exception {
        StreamTableEnvironment tables = StreamTableEnvironment.create(TestClusters.environment(new Configuration(), 2));
        Path index = temp.resolve("index");
        tables.executeSql("CREATE TABLE docs (doc_id STRING, text STRING, path STRING, file_name STRING, "
                + "size_bytes BIGINT, PRIMARY KEY (doc_id) NOT ENFORCED) WITH ('connector' = 'document-folder', "
                + "'path' = '" + docs + "', 'source.monitor-interval' = '200ms')");
        tables.executeSql("CREATE TABLE handbook (doc_id STRING, text STRING, path STRING, file_name STRING, "
                + "size_bytes BIGINT, PRIMARY KEY (doc_id) NOT ENFORCED) WITH ('connector' = 'rag-index', "
                + "'store' = 'lucene', 'path' = '" + index + "', 'model.provider' = '" + HashingModelFactory.PROVIDER
                + "', 'sink.buffer-flush.interval' = '20ms')");
        TableResult insert = tables.executeSql("INSERT INTO handbook SELECT * FROM docs");
        JobClient job = insert.getJobClient().orElseThrow();
        try {
            awaitIndexOfFolder(index);
            Set<String> firstTexts = new HashSet<>(HashingEmbeddingModel.EMBEDDED.keySet());

            Path knives = docs.resolve("kitchen/knife-care.md");
            String added = "Ceramic knives stay sharp for years but chip easily on frozen food.";
            Files.writeString(knives, Files.readString(knives) + "\n" + added + "\n");
            Files.move(docs.resolve("nature/bird-migration.md"), docs.resolve("nature/birds-on-the-move.md"));
            try (Stream<Path> files = Files.list(docs.resolve("tech"))) {
                Files.delete(files.sorted().findFirst().orElseThrow());
            }
            Files.writeString(docs.resolve("home/new-note.txt"), "Bleed the radiators before the first cold night.");
            awaitIndexOfFolder(index);

            Set<String> secondTexts = new HashSet<>(HashingEmbeddingModel.EMBEDDED.keySet());
            secondTexts.removeAll(firstTexts);
            assertThat(secondTexts).as("only the edited chunk and the new note are new text (a rename moves chunks)")
                    .hasSizeBetween(2, 3)
                    .anySatisfy(text -> assertThat(text).contains("Bleed the radiators"))
                    .anySatisfy(text -> assertThat(text).contains(added));
            assertThat(HashingEmbeddingModel.EMBEDDED.values()).extracting(AtomicInteger::get).containsOnly(1);
        } finally {
            job.cancel().get();
        }
    }

    private void awaitIndexOfFolder(Path index) throws Exception {
        Await.equal(() -> IndexOracle.stored(index), () -> {
            List<DocumentChange> documents = new ArrayList<>();
            for (DocumentChange document : FolderOracle.documents(docs)) {
                Map<String, String> metadata = new HashMap<>(document.metadata());
                metadata.keySet().retainAll(Set.of("path", "file_name", "size_bytes"));
                documents.add(DocumentChange.upsert(document.docId(), 1, document.text(), metadata));
            }
            return IndexOracle.fromScratch(documents, HashingEmbeddingModel.SPLITTING.createSplitter(),
                    HashingEmbeddingModel::vectorOf);
        }, Duration.ofSeconds(60));
    }
}
