package dev.flinkrag.source.folder;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.testing.CollectingMap;
import dev.flinkrag.testing.FolderOracle;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testing.Prose;
import dev.flinkrag.testutils.Await;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.TestClusters;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folder source in a running job: files added, modified, deleted and renamed while it runs, bad files
 * dead-lettered, and a stop-with-savepoint and restart that re-embeds nothing unchanged.
 */
class FolderSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final Duration CONVERGENCE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private Path docs;
    private Path index;
    private final Prose prose = new Prose(99);

    @BeforeEach
    void setUp() throws IOException {
        HashingEmbeddingModel.reset();
        CollectingMap.SEEN.clear();
        docs = Files.createDirectories(temp.resolve("docs"));
        index = temp.resolve("index");
    }

    private JobClient start(String savepoint) throws Exception {
        return start(savepoint, FolderSource.forFolder(docs));
    }

    private JobClient start(String savepoint, FolderSource.Builder folder) throws Exception {
        return start(savepoint, folder, Duration.ofMillis(100));
    }

    private JobClient start(String savepoint, FolderSource.Builder folder, Duration scanInterval) throws Exception {
        Configuration configuration = new Configuration();
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = TestClusters.environment(configuration, 2);
        env.enableCheckpointing(300);
        FolderSource source = folder
                .monitorContinuously(scanInterval)
                .maxFileBytes(10L * 1024 * 1024)
                .build();
        DataStream<DocumentChange> changes = env.fromSource(source, WatermarkStrategy.noWatermarks(), "folder")
                .uid("folder-source")
                .map(new CollectingMap<>());
        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag")
                .read(changes)
                .parse()
                .chunk()
                .embed(HashingEmbeddingModel.modelProvider(), EmbeddingOptions.builder().maxBatchSize(8).build());
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index).flushInterval(Duration.ofMillis(50)));
        result.deadLetters().map(new CollectingMap<>()).returns(TypeInformation.of(DeadLetter.class))
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync("folder source test");
    }

    private void awaitOracle() throws Exception {
        awaitOracle(true);
    }

    private void awaitOracle(boolean modificationTime) throws Exception {
        Await.equal(() -> IndexOracle.stored(index), () -> IndexOracle.fromScratch(
                FolderOracle.documents(docs, path -> true, modificationTime),
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf), CONVERGENCE);
    }

    private List<String> emittedDocuments() {
        return CollectingMap.SEEN.stream().filter(DocumentChange.class::isInstance)
                .map(change -> ((DocumentChange) change).docId()).toList();
    }

    private List<DeadLetter> deadLetters() {
        return CollectingMap.SEEN.stream().filter(DeadLetter.class::isInstance).map(DeadLetter.class::cast).toList();
    }

    private void touchAll() throws IOException {
        try (var files = Files.walk(docs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                touch(file);
            }
        }
    }

    private static void touch(Path file) throws IOException {
        long modified = Files.getLastModifiedTime(file).toMillis();
        Files.setLastModifiedTime(file, FileTime.fromMillis(modified + 60_000));
    }

    private void write(String name, String text) throws IOException {
        Path file = docs.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Writes a new version next to the file and moves it over the file, as editors save. */
    private void replace(String name, String text) throws IOException {
        Path next = Files.writeString(temp.resolve(name + ".next"), text, StandardCharsets.UTF_8);
        Files.move(next, docs.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String document(int paragraphs) {
        return Prose.join(prose.paragraphs(paragraphs));
    }

    /** With a scan interval of an hour, only the operating system's file notifications can bring these changes in. */
    @Test
    void aLocalFolderIsWatchedSoChangesArriveWithoutWaitingForTheNextScan() throws Exception {
        Files.writeString(docs.resolve("a.md"), Prose.join(prose.paragraphs(3)));
        JobClient job = start(null, FolderSource.forFolder(docs), Duration.ofHours(1));
        try {
            awaitOracle();
            Path deeper = Files.createDirectories(docs.resolve("new").resolve("deeper"));
            Files.writeString(deeper.resolve("b.md"), Prose.join(prose.paragraphs(2)));
            Files.writeString(docs.resolve("a.md"), Prose.join(prose.paragraphs(4)));
            awaitOracle();
            Files.delete(docs.resolve("a.md"));
            awaitOracle();
            assertThat(IndexOracle.stored(index)).isNotEmpty();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void indexFollowsTheFolderAndARestartReembedsNothingUnchanged() throws Exception {
        for (int i = 0; i < 8; i++) {
            write("notes/doc-" + i + ".md", document(4 + i));
        }
        write("readme.txt", document(3));
        JobClient job = start(null);
        awaitOracle();

        write("notes/doc-0.md", Files.readString(docs.resolve("notes/doc-0.md")) + "\n" + prose.paragraph() + "\n");
        write("new.md", document(5));
        Files.delete(docs.resolve("notes/doc-1.md"));
        Files.move(docs.resolve("notes/doc-2.md"), docs.resolve("renamed.md"));
        awaitOracle();

        String savepoint = job.stopWithSavepoint(false, temp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        Set<String> embeddedBefore = new HashSet<>(HashingEmbeddingModel.EMBEDDED.keySet());
        HashingEmbeddingModel.reset();

        String before = Files.readString(docs.resolve("notes/doc-3.md"));
        String after = before + "\n" + prose.paragraph() + "\n";
        write("notes/doc-3.md", after);
        Files.delete(docs.resolve("readme.txt"));
        JobClient restarted = start(savepoint);
        awaitOracle();
        restarted.cancel().get();

        // only the chunks the appended paragraph changed are embedded: nothing the first run embedded
        Function<String, List<String>> splitter = HashingEmbeddingModel.SPLITTING.createSplitter();
        Set<String> changed = new HashSet<>(splitter.apply(after));
        changed.removeAll(splitter.apply(before));
        assertThat(HashingEmbeddingModel.EMBEDDED.keySet()).isNotEmpty().containsExactlyInAnyOrderElementsOf(changed);
        assertThat(embeddedBefore).doesNotContainAnyElementsOf(changed);
    }

    /** A touched file keeps its chunks and vectors; only its modification time changes in their metadata. */
    @Test
    void touchedFilesUpdateTheirModificationTimeAndEmbedNothing() throws Exception {
        for (int i = 0; i < 4; i++) {
            write("doc-" + i + ".md", document(3));
        }
        JobClient job = start(null);
        awaitOracle();
        HashingEmbeddingModel.reset();

        touchAll();
        awaitOracle();
        job.cancel().get();
        assertThat(HashingEmbeddingModel.EMBEDDED).isEmpty();
    }

    /**
     * Without the modification time in the metadata, a file rewritten with the same bytes is not emitted at all: its
     * reader finds the content hash the enumerator kept from the last read, also after a restore.
     */
    @Test
    void withoutModificationTimeARewriteOfTheSameBytesEmitsNothing() throws Exception {
        for (int i = 0; i < 4; i++) {
            write("doc-" + i + ".md", document(3));
        }
        FolderSource.Builder folder = FolderSource.forFolder(docs).withoutModificationTime();
        JobClient job = start(null, folder);
        awaitOracle(false);
        String savepoint = job.stopWithSavepoint(false, temp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        CollectingMap.SEEN.clear();

        job = start(savepoint, folder);
        touchAll();
        replace("doc-0.md", Files.readString(docs.resolve("doc-0.md"))); // same bytes, written again
        replace("doc-1.md", document(2));
        awaitOracle(false);
        Thread.sleep(1_000); // a few more scans: nothing else arrives
        job.cancel().get();
        assertThat(emittedDocuments()).containsExactly("doc-1.md");
    }

    /**
     * Random adds, edits, rewrites of the same bytes, touches, renames and deletes while the job runs, with two
     * failovers from checkpoints in the middle: the index ends equal to a from-scratch index of the final files. Run
     * without the modification time, so the readers' hash reports and skips are part of what fails over.
     */
    @Test
    void randomChangesWithFailoversEndInTheFromScratchIndex() throws Exception {
        Random random = new Random(17);
        for (int i = 0; i < 12; i++) {
            write("doc-" + i + ".md", document(1 + random.nextInt(4)));
        }
        InjectedFailures.reset();
        StreamExecutionEnvironment env = TestClusters.restarting(2);
        FolderSource source = FolderSource.forFolder(docs).withoutModificationTime()
                .monitorContinuously(Duration.ofMillis(50)).build();
        DataStream<DocumentChange> changes = env.fromSource(source, WatermarkStrategy.noWatermarks(), "folder")
                .map(new InjectedFailures<>(20, 45));
        IndexingPipeline.Embedded result = IndexingPipeline.named("flink-rag")
                .read(changes)
                .parse()
                .chunk()
                .embed(HashingEmbeddingModel.modelProvider());
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(index).flushInterval(Duration.ofMillis(20)));
        JobClient job = env.executeAsync("folder source with failovers");

        int added = 0;
        for (int step = 0; step < 80; step++) {
            List<String> names;
            try (var files = Files.list(docs)) {
                names = files.map(file -> file.getFileName().toString()).sorted().toList();
            }
            String name = names.get(random.nextInt(names.size()));
            int operation = random.nextInt(100);
            if (operation < 30 || names.size() < 4) {
                replace(operation < 30 ? name : "new-" + added++ + ".md", document(1 + random.nextInt(4)));
            } else if (operation < 45) {
                replace(name, Files.readString(docs.resolve(name)));
            } else if (operation < 60) {
                touch(docs.resolve(name));
            } else if (operation < 75) {
                replace("new-" + added++ + ".md", document(1 + random.nextInt(3)));
            } else if (operation < 85) {
                Files.delete(docs.resolve(name));
            } else {
                Files.move(docs.resolve(name), docs.resolve("renamed-" + step + ".md"));
            }
            Thread.sleep(random.nextInt(40));
        }
        Await.equal(InjectedFailures.FAILURES::get, () -> 2, CONVERGENCE);
        awaitOracle(false);
        job.cancel().get();
    }

    @Test
    void badFilesAreDeadLetteredAndTheRestIsIndexed() throws Exception {
        write("good.md", document(4));
        Files.write(docs.resolve("binary.txt"), new byte[] {'a', 0, 1, 2, 3});
        Files.write(docs.resolve("empty.txt"), new byte[0]);
        Files.write(docs.resolve("latin1.txt"), "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(docs.resolve("huge.txt"), new byte[50 * 1024 * 1024]);
        JobClient job = start(null);

        Await.equal(() -> deadLetters().stream().map(DeadLetter::docId).collect(Collectors.toSet()),
                () -> Set.of("binary.txt", "empty.txt", "latin1.txt", "huge.txt"), CONVERGENCE);
        Await.equal(() -> IndexOracle.stored(index), () -> IndexOracle.fromScratch(
                        FolderOracle.documents(docs, "good.md"::equals),
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf), CONVERGENCE);
        assertThat(deadLetters()).extracting(DeadLetter::reason)
                .anySatisfy(reason -> assertThat(reason).contains("binary"))
                .anySatisfy(reason -> assertThat(reason).contains("empty"))
                .anySatisfy(reason -> assertThat(reason).contains("not valid UTF-8"))
                .anySatisfy(reason -> assertThat(reason).contains("huge.txt").contains("over the limit"));

        // a bad file that becomes good is indexed; the job kept running all along
        write("binary.txt", document(2));
        Await.equal(() -> IndexOracle.stored(index), () -> IndexOracle.fromScratch(
                        FolderOracle.documents(docs, Set.of("good.md", "binary.txt")::contains),
                HashingEmbeddingModel.SPLITTING.createSplitter(), HashingEmbeddingModel::vectorOf), CONVERGENCE);
        job.cancel().get();
    }

    /**
     * More files than one hand-out (readers ask for at most {@value FolderEnumerator#BATCH} changes at a time):
     * a bounded read of 1,700 files in 17 directories emits each file exactly once and then ends.
     */
    @Test
    void aLargeFolderIsHandedOutInBatchesAndEachFileReadOnce() throws Exception {
        for (int i = 0; i < 1_700; i++) {
            write("part-" + (i % 17) + "/file-" + i + ".txt", "File number " + i + ".");
        }
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        List<String> paths = new ArrayList<>();
        try (CloseableIterator<DocumentChange> changes = env.fromSource(FolderSource.forFolder(docs).build(),
                WatermarkStrategy.noWatermarks(), "folder").executeAndCollect()) {
            changes.forEachRemaining(change -> paths.add(change.docId()));
        }
        assertThat(paths).hasSize(1_700).doesNotHaveDuplicates().contains("part-3/file-3.txt", "part-16/file-1699.txt");
    }
}
