package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.chunking.IncrementalChunker;
import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddedStream;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingOperators;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.parsing.DocumentParsingFunction;
import dev.flinkrag.parsing.ParseFailureRouter;
import dev.flinkrag.parsing.ParsingOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The indexing pipeline as plain Flink operators, top to bottom as the data flows:
 * document changes → parse → keyBy(docId) → incremental chunking → embedding → your sink.
 *
 * <pre>{@code
 * IncrementalIndexing indexing = IncrementalIndexing.builder().build();
 * IncrementalIndexing.Result result = indexing.apply(documentChanges);
 * IncrementalIndexing.sinkToLucene(result.chunks(), Path.of("/var/lib/rag-index"));
 * }</pre>
 *
 * <p>Everything of one document stays on one path (keyed by document id, then chained), so per-chunk
 * order holds at any parallelism. Operator uids are fixed, so savepoints survive job changes.
 */
@PublicEvolving
public final class IncrementalIndexing {

    private final ParsingOptions parsing;
    private final ChunkingOptions chunking;
    private final EmbeddingModelProvider model;
    private final EmbeddingOptions embedding;

    private IncrementalIndexing(ParsingOptions parsing, ChunkingOptions chunking, EmbeddingModelProvider model,
            EmbeddingOptions embedding) {
        this.parsing = parsing;
        this.chunking = chunking;
        this.model = model;
        this.embedding = embedding;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Embedded chunk changes, ready for a vector sink, and what could not be indexed: documents that could
     * not be read or were skipped (stage {@code parse}), documents with an id or metadata a store would refuse or
     * whose chunking failed (stage {@code chunk}), and chunks the model refused (stage {@code embed}).
     */
    public record Result(DataStream<ChunkChange> chunks, DataStream<DeadLetter> deadLetters) {}

    public Result apply(DataStream<DocumentChange> changes) {
        // parse where the change was read (same parallelism, chained), off the task thread; a slow document may
        // be overtaken by later changes, which is safe: the chunker applies each document's newest version only
        SingleOutputStreamOperator<DocumentChange> read = AsyncDataStream.unorderedWait(changes,
                        new DocumentParsingFunction(parsing), parsing.timeout().toMillis(), TimeUnit.MILLISECONDS,
                        parsing.maxConcurrentDocuments())
                .setParallelism(changes.getParallelism())
                .name("parse documents")
                .uid("flink-rag-parse-async");
        SingleOutputStreamOperator<DocumentChange> parsed = read
                .process(new ParseFailureRouter())
                .setParallelism(changes.getParallelism())
                .name("parsing dead letters")
                .uid("flink-rag-parse");
        SingleOutputStreamOperator<ChunkChange> chunkChanges = parsed
                .keyBy(DocumentChange::docId)
                .process(new IncrementalChunker(chunking))
                .name("incremental chunking")
                .uid("flink-rag-chunk");
        EmbeddedStream<ChunkChange, ChunkChange> embedded = EmbeddingOperators.embed(
                        chunkChanges, model, new ChunkEmbedding(), embedding, TypeInformation.of(ChunkChange.class))
                .uid("flink-rag-embed");
        // a chunk the model refused is left out of the index, as a from-scratch run would leave it out
        DataStream<DeadLetter> refusedChunks = embedded.rejected()
                .map(ChunkEmbedding::toDeadLetter)
                .returns(DeadLetter.class)
                .name("embedding dead letters")
                .uid("flink-rag-embed-dead-letters");
        return new Result(embedded.embedded(), parsed.getSideOutput(ParseFailureRouter.DEAD_LETTERS)
                .union(chunkChanges.getSideOutput(IncrementalChunker.DEAD_LETTERS), refusedChunks));
    }

    /** Writes chunk changes into an embedded Lucene index at {@code indexPath} (one writer: parallelism 1). */
    public static DataStreamSink<ChunkChange> sinkToLucene(DataStream<ChunkChange> chunks, Path indexPath) {
        return sinkToLucene(chunks, indexPath, Duration.ofMillis(200));
    }

    public static DataStreamSink<ChunkChange> sinkToLucene(
            DataStream<ChunkChange> chunks, Path indexPath, Duration flushInterval) {
        LuceneSink<ChunkChange> sink = LuceneSink.<ChunkChange>builder()
                .indexPath(indexPath)
                .converter(new ChunkChangeConverter())
                .flushInterval(flushInterval)
                .build();
        return chunks.sinkTo(sink).setParallelism(1).name("lucene index " + indexPath).uid("flink-rag-lucene-sink");
    }

    /** Builds an {@link IncrementalIndexing}; every setting has an offline default. */
    public static final class Builder {
        private ParsingOptions parsing = ParsingOptions.defaults();
        private ChunkingOptions chunking = ChunkingOptions.defaults();
        private EmbeddingModelProvider model = InProcessModels.allMiniLmL6V2Q();
        private EmbeddingOptions embedding = EmbeddingOptions.DEFAULTS;

        /** Limits of the parsing stage (size, text length, time) and documents to skip. */
        public Builder parsing(ParsingOptions options) {
            this.parsing = options;
            return this;
        }

        public Builder chunking(ChunkingOptions options) {
            this.chunking = options;
            return this;
        }

        public Builder embeddingModel(EmbeddingModelProvider provider) {
            this.model = provider;
            return this;
        }

        public Builder embeddingOptions(EmbeddingOptions options) {
            this.embedding = options;
            return this;
        }

        public IncrementalIndexing build() {
            model.maxInputTokens().ifPresent(limit -> {
                if (chunking.maxTokens() > limit) {
                    throw new IllegalArgumentException(String.format(
                            "chunking maxTokens %d exceeds the %d tokens model %s reads; it would silently ignore "
                                    + "the rest of each longer chunk", chunking.maxTokens(), limit, model.modelId()));
                }
            });
            return new IncrementalIndexing(parsing, chunking, model, embedding);
        }
    }
}
