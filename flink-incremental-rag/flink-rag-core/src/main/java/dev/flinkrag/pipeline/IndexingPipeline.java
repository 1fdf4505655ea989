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
import dev.flinkrag.parsing.DocumentParsingFunction;
import dev.flinkrag.parsing.ParseFailureRouter;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.parsing.RawDocumentParser;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorSinkFactory;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.co.CoProcessFunction;

import javax.annotation.Nullable;

import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The indexing pipeline as plain Flink operators, written top to bottom as the data flows:
 *
 * <pre>{@code
 * IndexingPipeline.Embedded handbook = IndexingPipeline.named("handbook")
 *         .read(documentChanges)                          // any DataStream<DocumentChange>
 *         .parse(ParsingOptions.defaults())               // PDF, DOCX, … with flink-rag-parser-tika
 *         .chunk(ChunkingOptions.editStable(300))         // sized by the model's own tokenizer
 *         .embed(InProcessModels.allMiniLmL6V2Q());        // the model knows its dimension
 * handbook.sinkTo(PgVectorSink.<ChunkChange>builder().options(table));   // dimension and converter from here
 * handbook.deadLetters().print();
 * }</pre>
 *
 * <p>Every operator's uid is the pipeline's name and the stage ({@code handbook-parse}, {@code handbook-chunk},
 * {@code handbook-embed}, {@code handbook-pgvector-sink}, …), so several pipelines fit in one job and savepoints
 * survive job changes. Everything of one document stays on one path (keyed by document id, then chained), so
 * per-chunk order holds at any parallelism. Each stage is also a plain operator of its own
 * ({@link DocumentParsingFunction}, {@link IncrementalChunker}, {@link EmbeddingOperators}, the sinks).
 */
@PublicEvolving
public final class IndexingPipeline {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final String name;

    private IndexingPipeline(String name) {
        this.name = name;
    }

    /** A pipeline whose operators' uids start with {@code name} (letters, digits, {@code .}, {@code _}, {@code -}). */
    public static IndexingPipeline named(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("IndexingPipeline.named(…) must be letters, digits, '.', '_' or '-' "
                    + "(at most 100, starting with a letter or digit), was '" + name + "'");
        }
        return new IndexingPipeline(name);
    }

    public String name() {
        return name;
    }

    /** Starts the pipeline at a stream of document changes. */
    public Documents read(DataStream<DocumentChange> changes) {
        return new Documents(this, changes);
    }

    private String uid(String stage) {
        return name + "-" + stage;
    }

    /** Raw document changes; next: {@link #parse}. */
    public static final class Documents {
        private final IndexingPipeline pipeline;
        private final DataStream<DocumentChange> changes;

        private Documents(IndexingPipeline pipeline, DataStream<DocumentChange> changes) {
            this.pipeline = pipeline;
            this.changes = changes;
        }

        /** Parses with the default limits and the {@link RawDocumentParser} on the classpath. */
        public Parsed parse() {
            return parse(ParsingOptions.defaults());
        }

        public Parsed parse(ParsingOptions options) {
            return parse(options, RawDocumentParser.discover());
        }

        /**
         * Parses within {@code options}' limits; formats other than text and Markdown go through {@code parser}
         * (any LangChain4j parser through {@link dev.flinkrag.parsing.LangChain4jParser}), {@code null} for none.
         */
        public Parsed parse(ParsingOptions options, @Nullable RawDocumentParser parser) {
            // parse where the change was read (same parallelism, chained), off the task thread; a slow document may
            // be overtaken by later changes, which is safe: the chunker applies each document's newest version only
            SingleOutputStreamOperator<DocumentChange> read = AsyncDataStream.unorderedWait(changes,
                            new DocumentParsingFunction(options, parser), options.timeout().toMillis(),
                            TimeUnit.MILLISECONDS, options.maxConcurrentDocuments())
                    .setParallelism(changes.getParallelism())
                    .name("parse documents")
                    .uid(pipeline.uid("parse-async"));
            SingleOutputStreamOperator<DocumentChange> parsed = read
                    .process(new ParseFailureRouter())
                    .setParallelism(changes.getParallelism())
                    .name("parsing dead letters")
                    .uid(pipeline.uid("parse"));
            return new Parsed(pipeline, parsed, parsed.getSideOutput(ParseFailureRouter.DEAD_LETTERS));
        }
    }

    /** Document changes with their text; next: {@link #chunk}. */
    public static final class Parsed {
        private final IndexingPipeline pipeline;
        private final DataStream<DocumentChange> documents;
        private final DataStream<DeadLetter> deadLetters;

        private Parsed(IndexingPipeline pipeline, DataStream<DocumentChange> documents, DataStream<DeadLetter> deadLetters) {
            this.pipeline = pipeline;
            this.documents = documents;
            this.deadLetters = deadLetters;
        }

        /** Edit-stable chunks of at most 100 tokens of the pipeline's model. */
        public Chunked chunk() {
            return chunk(ChunkingOptions.defaults());
        }

        public Chunked chunk(ChunkingOptions options) {
            return new Chunked(pipeline, documents, deadLetters, options);
        }

        /** The parsed changes, for a job that goes on its own way. */
        public DataStream<DocumentChange> documents() {
            return documents;
        }

        /** Documents that could not be read, or were skipped (stage {@code parse}). */
        public DataStream<DeadLetter> deadLetters() {
            return deadLetters;
        }
    }

    /**
     * Documents to chunk; next: {@link #embed}. The chunker is built when the model is known (it counts tokens with the
     * model's tokenizer), or by {@link #chunks()} when the options have a tokenizer of their own.
     */
    public static final class Chunked {
        private final IndexingPipeline pipeline;
        private final DataStream<DocumentChange> documents;
        private final DataStream<DeadLetter> parseDeadLetters;
        private final ChunkingOptions options;
        @Nullable private SingleOutputStreamOperator<ChunkChange> chunks;

        private Chunked(IndexingPipeline pipeline, DataStream<DocumentChange> documents,
                DataStream<DeadLetter> parseDeadLetters, ChunkingOptions options) {
            this.pipeline = pipeline;
            this.documents = documents;
            this.parseDeadLetters = parseDeadLetters;
            this.options = options;
        }

        public Embedded embed(EmbeddingModelProvider model) {
            return embed(model, EmbeddingOptions.DEFAULTS);
        }

        /** Embeds new chunk texts with {@code model}; deletes and metadata-only updates pass through. */
        public Embedded embed(EmbeddingModelProvider model, EmbeddingOptions embedding) {
            SingleOutputStreamOperator<ChunkChange> changes = build(options.forModel(model));
            EmbeddedStream<ChunkChange, ChunkChange> embedded = EmbeddingOperators.embed(
                            changes, model, new ChunkEmbedding(), embedding, TypeInformation.of(ChunkChange.class))
                    .uid(pipeline.uid("embed"));
            // a chunk the model refused is left out of the index, as a from-scratch run would leave it out
            DataStream<DeadLetter> refused = embedded.rejected()
                    .map(ChunkEmbedding::toDeadLetter)
                    .returns(DeadLetter.class)
                    .name("embedding dead letters")
                    .uid(pipeline.uid("embed-dead-letters"));
            return new Embedded(pipeline, embedded.embedded(), deadLetters().union(refused), model);
        }

        /** The chunk changes without vectors, for a job that embeds on its own; needs options with a tokenizer. */
        public DataStream<ChunkChange> chunks() {
            return build(options);
        }

        /** Parse dead letters, and documents whose id or metadata a store would refuse (stage {@code chunk}). */
        public DataStream<DeadLetter> deadLetters() {
            if (chunks == null) {
                throw new IllegalStateException("the chunker is built by embed(…) or chunks(); call one first");
            }
            return parseDeadLetters.union(chunks.getSideOutput(IncrementalChunker.DEAD_LETTERS));
        }

        private SingleOutputStreamOperator<ChunkChange> build(ChunkingOptions resolved) {
            if (chunks == null) {
                // the key type is given: extracting it from the method reference needs the job's classes on the
                // context class loader, which a SQL gateway planning a job from an ADD JAR does not have
                chunks = documents
                        .keyBy(DocumentChange::docId, Types.STRING)
                        .process(new IncrementalChunker(resolved))
                        .name("incremental chunking")
                        .uid(pipeline.uid("chunk"));
            }
            return chunks;
        }
    }

    /** Embedded chunk changes, ready for a store; ends with {@link #sinkTo}. */
    public static final class Embedded {
        private final IndexingPipeline pipeline;
        private final DataStream<ChunkChange> chunks;
        private final DataStream<DeadLetter> deadLetters;
        private final EmbeddingModelProvider model;

        private Embedded(IndexingPipeline pipeline, DataStream<ChunkChange> chunks, DataStream<DeadLetter> deadLetters,
                EmbeddingModelProvider model) {
            this.pipeline = pipeline;
            this.chunks = chunks;
            this.deadLetters = deadLetters;
            this.model = model;
        }

        /** Writes into {@code store} with the pipeline's converter and the model's dimension. */
        public DataStreamSink<ChunkChange> sinkTo(VectorSinkFactory<ChunkChange> store) {
            OptionalInt dimension = model.dimension();
            if (dimension.isEmpty()) {
                throw new IllegalArgumentException("model " + model.modelId() + " does not say its vector size; use "
                        + "sinkTo(store, dimension)");
            }
            return sinkTo(store, dimension.getAsInt());
        }

        /**
         * Writes into {@code store} with the pipeline's converter, for a model that does not know its dimension. The
         * store records the model (its id and dimension) where it keeps an index state.
         */
        public DataStreamSink<ChunkChange> sinkTo(VectorSinkFactory<ChunkChange> store, int dimension) {
            IndexedModel indexed = new IndexedModel(model.modelId(), dimension);
            DataStreamSink<ChunkChange> sink = chunks.sinkTo(store.createSink(ChunkChangeConverter.forStore(store), indexed))
                    .name(store.sinkName() + " " + pipeline.name())
                    .uid(pipeline.uid(store.sinkName() + "-sink"));
            store.requiredParallelism().ifPresent(sink::setParallelism);
            return sink;
        }

        /**
         * The same chunks, with the dead letters handled by {@code handler} (its second input) on their way, inside
         * the chunks' path: for a job whose only end is the store's sink, as a SQL table's is (Flink's planner keeps
         * only what the sink a table returns depends on, so a separate dead-letter sink would be dropped).
         */
        public Embedded handlingDeadLetters(CoProcessFunction<ChunkChange, DeadLetter, ChunkChange> handler) {
            SingleOutputStreamOperator<ChunkChange> handled = chunks.connect(deadLetters)
                    .process(handler, TypeInformation.of(ChunkChange.class))
                    .setParallelism(chunks.getParallelism())
                    .name("dead letters")
                    .uid(pipeline.uid("dead-letters"));
            return new Embedded(pipeline, handled, deadLetters, model);
        }

        /** The embedded chunk changes, for a sink of your own (route them by document: {@link ChunkChangeConverter}). */
        public DataStream<ChunkChange> chunks() {
            return chunks;
        }

        /**
         * What could not be indexed: documents that could not be read or were skipped (stage {@code parse}), documents
         * with an id or metadata a store would refuse or whose chunking failed ({@code chunk}), and chunks the model
         * refused ({@code embed}).
         */
        public DataStream<DeadLetter> deadLetters() {
            return deadLetters;
        }
    }
}
