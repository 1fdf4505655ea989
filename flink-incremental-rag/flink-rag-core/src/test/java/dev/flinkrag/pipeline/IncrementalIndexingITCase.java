package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.testing.CollectingMap;
import dev.flinkrag.testing.DocumentHistory;
import dev.flinkrag.testing.HashingEmbeddingModel;
import dev.flinkrag.testing.IndexOracle;
import dev.flinkrag.testing.Prose;
import dev.flinkrag.testutils.InjectedFailures;
import dev.flinkrag.testutils.TestClusters;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The invariant, end to end on a MiniCluster: the index equals a from-scratch index of the final documents. */
class IncrementalIndexingITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final ChunkingOptions CHUNKING = HashingEmbeddingModel.SPLITTING;

    @TempDir
    Path temp;

    @BeforeEach
    void resetCounts() {
        HashingEmbeddingModel.reset();
    }

    private void index(List<DocumentChange> changes, int parallelism, EmbeddingModelProvider model) throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), parallelism);
        var documents = env.fromData(TypeInformation.of(DocumentChange.class), changes.toArray(DocumentChange[]::new));
        pipeline(documents, model).sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("index")));
        env.execute("incremental indexing test");
    }

    private static IndexingPipeline.Embedded pipeline(DataStream<DocumentChange> documents, EmbeddingModelProvider model) {
        return IndexingPipeline.named("test").read(documents).parse().chunk()
                .embed(model, EmbeddingOptions.builder().maxBatchSize(8).build());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 4})
    void randomHistoriesEndInTheFromScratchIndex(int parallelism) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            HashingEmbeddingModel.reset();
            DocumentHistory history = DocumentHistory.random(seed * 1000 + parallelism, 10, 150);
            assertThat(history.staleChanges()).isPositive();
            Path index = temp.resolve("index");

            index(history.changes(), parallelism, HashingEmbeddingModel.modelProvider());

            Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(
                    history.finalDocuments(), CHUNKING.createSplitter(), HashingEmbeddingModel::vectorOf);
            assertThat(IndexOracle.stored(index)).isEqualTo(expected);
            assertThat(expected).hasSizeGreaterThan(50);
        }
    }

    /**
     * Failures between checkpoints: the job restarts from the last checkpoint, the Lucene sink rolls the
     * index back to the commit of that checkpoint, and the replay still ends in the from-scratch index.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {77, 78})
    void failoversInTheMiddleOfTheStreamStillEndInTheFromScratchIndex(long seed) throws Exception {
        InjectedFailures.reset();
        DocumentHistory history = DocumentHistory.random(seed, 10, 200);
        int changes = history.changes().size();
        StreamExecutionEnvironment env = TestClusters.restarting(2);
        var documents = env.fromData(TypeInformation.of(DocumentChange.class),
                        history.changes().toArray(DocumentChange[]::new))
                .map(new InjectedFailures<>(changes / 4, changes / 2, changes * 3 / 4))
                .setParallelism(1);
        pipeline(documents, HashingEmbeddingModel.modelProvider())
                .sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("index")).flushInterval(Duration.ofMillis(5)));
        env.execute("failover test");

        assertThat(InjectedFailures.FAILURES).hasValue(3);
        assertThat(IndexOracle.stored(temp.resolve("index"))).isEqualTo(IndexOracle.fromScratch(
                history.finalDocuments(), CHUNKING.createSplitter(), HashingEmbeddingModel::vectorOf));
    }

    /**
     * A model that refuses one chunk text in seven: those chunks go to the dead-letter output (stage embed,
     * naming the chunk), later metadata updates of them are no-ops, and the index equals a from-scratch run
     * of the same model, which would have refused the same chunks.
     */
    @Test
    void chunksTheModelRefusesAreDeadLetteredAndLeftOutLikeAFromScratchRun() throws Exception {
        CollectingMap.SEEN.clear();
        int refuseOneIn = 7;
        DocumentHistory history = DocumentHistory.random(4242, 8, 120);
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        var documents = env.fromData(TypeInformation.of(DocumentChange.class),
                history.changes().toArray(DocumentChange[]::new));
        IndexingPipeline.Embedded result = pipeline(documents, HashingEmbeddingModel.modelProvider(refuseOneIn));
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("index")));
        result.deadLetters().map(new CollectingMap<>()).returns(DeadLetter.class).sinkTo(new DiscardingSink<>());
        env.execute("refused chunks test");

        Map<String, IndexOracle.Entry> expected = new HashMap<>(IndexOracle.fromScratch(
                history.finalDocuments(), CHUNKING.createSplitter(), HashingEmbeddingModel::vectorOf));
        int refusedAtTheEnd = expected.size();
        expected.values().removeIf(entry -> HashingEmbeddingModel.refuses(refuseOneIn, entry.text()));
        refusedAtTheEnd -= expected.size();
        assertThat(refusedAtTheEnd).isPositive();
        assertThat(IndexOracle.stored(temp.resolve("index"))).isEqualTo(expected);
        assertThat(CollectingMap.SEEN).isNotEmpty().allSatisfy(seen -> {
            DeadLetter letter = (DeadLetter) seen;
            assertThat(letter.stage()).isEqualTo("embed");
            assertThat(letter.reason()).startsWith("chunk ").contains("of document " + letter.docId())
                    .contains("refused the request").contains("input refused by the test model");
        });
    }

    /**
     * Any exception while chunking one document version dead-letters it (stage chunk, naming the exception) and
     * removes the document's chunks, as a from-scratch run that fails on it too would hold none; the next good
     * version is indexed again and nothing else is touched.
     */
    @Test
    void aChunkingFailureDeadLettersTheVersionAndRemovesTheDocument() throws Exception {
        CollectingMap.SEEN.clear();
        String good = Prose.join(new Prose(31).paragraphs(4));
        String other = Prose.join(new Prose(32).paragraphs(4));
        List<DocumentChange> changes = List.of(
                DocumentChange.upsert("a.md", 1, good, Map.of()),
                DocumentChange.upsert("b.md", 1, other, Map.of()),
                DocumentChange.upsert("a.md", 2, good + "\n\nThis paragraph breaks the tokenizer: 💥", Map.of()),
                DocumentChange.upsert("b.md", 2, other + "\n\n💥", Map.of()),
                DocumentChange.upsert("b.md", 3, other, Map.of()));
        ChunkingOptions failing = ChunkingOptions.editStable(100).withTokenizer(new ExplodingTokenizer());
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 1);
        IndexingPipeline.Embedded result = IndexingPipeline.named("test")
                .read(env.fromData(TypeInformation.of(DocumentChange.class), changes.toArray(DocumentChange[]::new)))
                .parse()
                .chunk(failing)
                .embed(HashingEmbeddingModel.modelProvider());
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("index")));
        result.deadLetters().map(new CollectingMap<>()).returns(DeadLetter.class).sinkTo(new DiscardingSink<>());
        env.execute("failing chunker");

        assertThat(CollectingMap.SEEN).map(DeadLetter.class::cast)
                .extracting(DeadLetter::docId, DeadLetter::version, DeadLetter::stage)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a.md", 2L, "chunk"),
                        org.assertj.core.groups.Tuple.tuple("b.md", 2L, "chunk"));
        assertThat(CollectingMap.SEEN).map(DeadLetter.class::cast).allSatisfy(letter -> assertThat(letter.reason())
                .startsWith("unexpected java.lang.IllegalStateException: the tokenizer exploded"));
        assertThat(IndexOracle.stored(temp.resolve("index"))).isEqualTo(IndexOracle.fromScratch(
                List.of(changes.get(4)), CHUNKING.createSplitter(), HashingEmbeddingModel::vectorOf));
    }

    /** Changes built by hand without an id, a kind or metadata are dead letters; before, a null id failed the keyBy. */
    @Test
    void changesWithoutIdKindOrMetadataAreDeadLettered() throws Exception {
        CollectingMap.SEEN.clear();
        String good = Prose.join(new Prose(41).paragraphs(3));
        List<DocumentChange> changes = List.of(
                DocumentChange.upsert("a.md", 1, good, Map.of()),
                new DocumentChange(null, 1, DocumentChange.Kind.UPSERT, "no id", null, null, Map.of(), 0, null),
                new DocumentChange("b.md", 1, null, "no kind", null, null, Map.of(), 0, null),
                new DocumentChange("c.md", 1, DocumentChange.Kind.UPSERT, "no metadata", null, null, null, 0, null));
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 2);
        IndexingPipeline.Embedded result = pipeline(
                env.fromData(TypeInformation.of(DocumentChange.class), changes.toArray(DocumentChange[]::new)),
                HashingEmbeddingModel.modelProvider());
        result.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("index")));
        result.deadLetters().map(new CollectingMap<>()).returns(DeadLetter.class).sinkTo(new DiscardingSink<>());
        env.execute("changes missing fields");

        assertThat(CollectingMap.SEEN).map(DeadLetter.class::cast).extracting(DeadLetter::docId, DeadLetter::reason)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(null, "field 'docId' is null"),
                        org.assertj.core.groups.Tuple.tuple("b.md", "field 'kind' is null"),
                        org.assertj.core.groups.Tuple.tuple("c.md", "field 'metadata' is null"));
        assertThat(IndexOracle.stored(temp.resolve("index"))).isEqualTo(IndexOracle.fromScratch(
                List.of(changes.get(0)), CHUNKING.createSplitter(), HashingEmbeddingModel::vectorOf));
    }

    /** The default tokenizer, except that it throws on one character. */
    private static final class ExplodingTokenizer implements dev.flinkrag.embedding.TokenCountEstimatorProvider {
        @Override
        public dev.langchain4j.model.TokenCountEstimator create() {
            dev.langchain4j.model.TokenCountEstimator tokens = InProcessModels.allMiniLmL6V2QTokenizer().create();
            return new dev.langchain4j.model.TokenCountEstimator() {
                @Override
                public int estimateTokenCountInText(String text) {
                    if (text.contains("💥")) {
                        throw new IllegalStateException("the tokenizer exploded");
                    }
                    return tokens.estimateTokenCountInText(text);
                }

                @Override
                public int estimateTokenCountInMessage(dev.langchain4j.data.message.ChatMessage message) {
                    return tokens.estimateTokenCountInMessage(message);
                }

                @Override
                public int estimateTokenCountInMessages(Iterable<dev.langchain4j.data.message.ChatMessage> messages) {
                    return tokens.estimateTokenCountInMessages(messages);
                }
            };
        }
    }

    @Test
    void realModelSmallHistoryEndsInTheFromScratchIndex() throws Exception {
        DocumentHistory history = DocumentHistory.random(42, 3, 12);
        index(history.changes(), 2, InProcessModels.allMiniLmL6V2Q());

        EmbeddingModel model = InProcessModels.allMiniLmL6V2Q().create();
        Map<String, IndexOracle.Entry> expected = IndexOracle.fromScratch(history.finalDocuments(),
                CHUNKING.createSplitter(), text -> model.embed(TextSegment.from(text)).content().vector());
        Map<String, IndexOracle.Entry> stored = IndexOracle.stored(temp.resolve("index"));
        assertThat(stored.keySet()).isEqualTo(expected.keySet());
        for (String id : expected.keySet()) {
            assertThat(stored.get(id).text()).isEqualTo(expected.get(id).text());
            assertThat(stored.get(id).metadata()).isEqualTo(expected.get(id).metadata());
            List<Float> actual = stored.get(id).vector();
            List<Float> wanted = expected.get(id).vector();
            assertThat(actual).hasSize(InProcessModels.ALL_MINILM_L6_V2_Q_DIMENSION);
            for (int i = 0; i < wanted.size(); i++) {
                assertThat(actual.get(i)).isCloseTo(wanted.get(i), within(1e-5f));
            }
        }
    }

    /** A document edited and then reverted costs no model call for the reverted text: the cache has it. */
    @Test
    void aRevertedEditIsNotEmbeddedAgain() throws Exception {
        String original = Prose.join(new Prose(11).paragraphs(6));
        String edited = Prose.join(new Prose(12).paragraphs(6));
        index(List.of(DocumentChange.upsert("doc.md", 1, original, Map.of()),
                DocumentChange.upsert("doc.md", 2, edited, Map.of()),
                DocumentChange.upsert("doc.md", 3, original, Map.of())), 1, HashingEmbeddingModel.modelProvider());

        Function<String, List<String>> splitter = CHUNKING.createSplitter();
        assertThat(HashingEmbeddingModel.EMBEDDED.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(HashingEmbeddingModel.EMBEDDED.keySet()).containsAll(splitter.apply(original));
        assertThat(IndexOracle.stored(temp.resolve("index"))).isEqualTo(IndexOracle.fromScratch(
                List.of(DocumentChange.upsert("doc.md", 3, original, Map.of())), splitter, HashingEmbeddingModel::vectorOf));
    }

    @Test
    void chunksLongerThanTheModelReadsAreRefusedUpFront() {
        StreamExecutionEnvironment env = TestClusters.environment(new Configuration(), 1);
        IndexingPipeline.Chunked chunked = IndexingPipeline.named("test")
                .read(env.fromData(TypeInformation.of(DocumentChange.class), DocumentChange.delete("a.md", 1)))
                .parse()
                .chunk(ChunkingOptions.editStable(300));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> chunked.embed(InProcessModels.allMiniLmL6V2Q()))
                .hasMessageContaining("maxTokens 300 exceeds the 126 tokens model all-minilm-l6-v2-q reads");
    }

    /**
     * Unchanged chunks are never embedded again: metadata changes and moves cost no model call, and each
     * edit embeds only its new chunk texts.
     */
    @Test
    void onlyNewChunkTextsAreEmbedded() throws Exception {
        Prose prose = new Prose(5);
        Function<String, List<String>> splitter = CHUNKING.createSplitter();
        List<String> paragraphs = new ArrayList<>();
        while (splitter.apply(Prose.join(paragraphs)).size() < 100) {
            paragraphs.add(prose.paragraph());
        }
        List<String> versions = new ArrayList<>();
        versions.add(Prose.join(paragraphs));
        versions.add(Prose.join(paragraphs)); // metadata-only change
        paragraphs.add(0, prose.paragraph());
        versions.add(Prose.join(paragraphs)); // paragraph inserted at the top: later chunks only move
        paragraphs.set(50, prose.paragraph());
        versions.add(Prose.join(paragraphs)); // a paragraph in the middle replaced
        paragraphs.remove(70);
        versions.add(Prose.join(paragraphs)); // a paragraph deleted

        List<DocumentChange> changes = new ArrayList<>();
        Set<String> distinctTexts = new HashSet<>();
        for (int v = 0; v < versions.size(); v++) {
            changes.add(DocumentChange.upsert("big.md", v + 1, versions.get(v), Map.of("title", "v" + Math.min(v, 1))));
            distinctTexts.addAll(splitter.apply(versions.get(v)));
        }

        index(changes, 2, HashingEmbeddingModel.modelProvider());

        int firstVersionChunks = new HashSet<>(splitter.apply(versions.get(0))).size();
        assertThat(HashingEmbeddingModel.EMBEDDED.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(HashingEmbeddingModel.textsEmbedded()).isEqualTo(distinctTexts.size());
        assertThat(HashingEmbeddingModel.textsEmbedded() - firstVersionChunks).isBetween(2, 4);
        DocumentChange last = changes.get(changes.size() - 1);
        assertThat(IndexOracle.stored(temp.resolve("index"))).isEqualTo(IndexOracle.fromScratch(
                List.of(last), splitter, HashingEmbeddingModel::vectorOf));
    }
}
