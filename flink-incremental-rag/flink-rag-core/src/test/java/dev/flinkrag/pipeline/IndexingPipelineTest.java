package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.testing.HashingEmbeddingModel;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.langchain4j.model.embedding.EmbeddingModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the facade assembles a job: names, uids, and what it takes from the model (no job runs here). */
class IndexingPipelineTest {

    @TempDir
    Path temp;

    private final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

    private DataStream<DocumentChange> documents() {
        return env.fromData(TypeInformation.of(DocumentChange.class), DocumentChange.delete("a.md", 1));
    }

    @Test
    void twoPipelinesInOneJobHaveTheirOwnUidsDerivedFromTheirNames() {
        IndexingPipeline.named("handbook").read(documents()).parse().chunk().embed(HashingEmbeddingModel.modelProvider())
                .sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("handbook")));
        IndexingPipeline.named("tickets").read(documents()).parse().chunk().embed(HashingEmbeddingModel.modelProvider())
                .sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("tickets")));

        List<String> uids = uidsOf(env);
        assertThat(uids).contains("handbook-parse-async", "handbook-parse", "handbook-chunk", "handbook-embed",
                "handbook-embed-dead-letters", "handbook-lucene-sink", "tickets-parse", "tickets-chunk",
                "tickets-embed", "tickets-lucene-sink");
        assertThat(uids).doesNotHaveDuplicates();
        env.getStreamGraph(); // Flink itself refuses duplicate uids here
    }

    @Test
    void theLuceneSinkRunsWithOneWriterAndTheNameFlinkRagKeepsTheUidsOfEarlierReleases() {
        DataStreamSink<ChunkChange> sink = IndexingPipeline.named("flink-rag").read(documents()).parse().chunk()
                .embed(HashingEmbeddingModel.modelProvider())
                .sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("index")));
        assertThat(sink.getTransformation().getParallelism()).isEqualTo(1);
        assertThat(uidsOf(env)).contains("flink-rag-parse-async", "flink-rag-parse", "flink-rag-chunk",
                "flink-rag-embed", "flink-rag-embed-dead-letters", "flink-rag-lucene-sink");
    }

    @Test
    void aBadNameIsRefused() {
        assertThatThrownBy(() -> IndexingPipeline.named("my pipeline"))
                .hasMessageContaining("IndexingPipeline.named(…)").hasMessageContaining("'my pipeline'");
        assertThatThrownBy(() -> IndexingPipeline.named("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aModelThatDoesNotKnowItsDimensionNeedsItAtTheSink() {
        EmbeddingModelProvider anonymous = new EmbeddingModelProvider() {
            @Override
            public EmbeddingModel create() {
                return new HashingEmbeddingModel();
            }
        };
        IndexingPipeline.Embedded embedded = IndexingPipeline.named("p").read(documents()).parse()
                .chunk(HashingEmbeddingModel.SPLITTING).embed(anonymous);
        assertThatThrownBy(() -> embedded.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("i"))))
                .hasMessageContaining("does not say its vector size").hasMessageContaining("sinkTo(store, dimension)");
        embedded.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(temp.resolve("i")), HashingEmbeddingModel.DIMENSION);
    }

    @Test
    void chunksWithoutAModelNeedATokenizerAndDeadLettersNeedTheChunker() {
        IndexingPipeline.Chunked chunked = IndexingPipeline.named("p").read(documents()).parse()
                .chunk(ChunkingOptions.editStable(100));
        assertThatThrownBy(chunked::deadLetters).hasMessageContaining("embed(…) or chunks()");
        assertThatThrownBy(chunked::chunks).hasMessageContaining("ChunkingOptions with a tokenizer");
        DataStream<ChunkChange> chunks = IndexingPipeline.named("q").read(documents()).parse()
                .chunk(HashingEmbeddingModel.SPLITTING).chunks();
        assertThat(chunks.getTransformation().getUid()).isEqualTo("q-chunk");
    }

    /** The uid of every transformation of the job, each transformation once. */
    private static List<String> uidsOf(StreamExecutionEnvironment env) {
        Set<Transformation<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> uids = new ArrayList<>();
        for (Transformation<?> transformation : env.getTransformations()) {
            collect(transformation, seen, uids);
        }
        return uids;
    }

    private static void collect(Transformation<?> transformation, Set<Transformation<?>> seen, List<String> uids) {
        if (!seen.add(transformation)) {
            return;
        }
        if (transformation.getUid() != null) {
            uids.add(transformation.getUid());
        }
        for (Transformation<?> input : transformation.getInputs()) {
            collect(input, seen, uids);
        }
    }
}
