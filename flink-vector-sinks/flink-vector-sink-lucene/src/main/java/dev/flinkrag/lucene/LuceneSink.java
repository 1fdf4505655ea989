package dev.flinkrag.lucene;

import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.sink.VectorSinkFactory;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalInt;

/**
 * Sink V2 that keeps an embedded Lucene vector index in step with a stream of upserts and deletes.
 * Run it with parallelism 1: {@code stream.sinkTo(sink).setParallelism(1)}. Build it with {@link #builder}.
 */
@PublicEvolving
public final class LuceneSink<IN>
        implements Sink<IN>, SupportsWriterState<IN, LuceneCommitPoint>, SupportsCommitter<LuceneCommitPoint> {

    private static final long serialVersionUID = 1L;

    private final LuceneSinkOptions options;
    private final VectorOperationConverter<IN> converter;

    private LuceneSink(LuceneSinkOptions options, VectorOperationConverter<IN> converter) {
        this.options = options;
        this.converter = converter;
    }

    public static <IN> Builder<IN> builder() {
        return new Builder<>();
    }

    @Override
    public StatefulSinkWriter<IN, LuceneCommitPoint> createWriter(WriterInitContext context) throws IOException {
        return new LuceneSinkWriter<>(context, options, converter, null);
    }

    @Override
    public StatefulSinkWriter<IN, LuceneCommitPoint> restoreWriter(
            WriterInitContext context, Collection<LuceneCommitPoint> recoveredState) throws IOException {
        LuceneCommitPoint restored = recoveredState.stream()
                .filter(point -> point.indexPath().equals(options.indexPath()))
                .reduce((a, b) -> a.sequence() >= b.sequence() ? a : b)
                .orElse(null);
        return new LuceneSinkWriter<>(context, options, converter, restored);
    }

    @Override
    public SimpleVersionedSerializer<LuceneCommitPoint> getWriterStateSerializer() {
        return new LuceneCommitPoint.Serializer();
    }

    @Override
    public Committer<LuceneCommitPoint> createCommitter(CommitterInitContext context) {
        return new LuceneCommitter(Path.of(options.indexPath()));
    }

    @Override
    public SimpleVersionedSerializer<LuceneCommitPoint> getCommittableSerializer() {
        return new LuceneCommitPoint.Serializer();
    }

    /**
     * Builds a {@link LuceneSink}; {@code indexPath} and {@code converter} are required. A pipeline given the builder
     * as a {@link VectorSinkFactory} sets the converter itself, and runs the sink with parallelism 1.
     */
    public static final class Builder<IN> implements VectorSinkFactory<IN> {
        private String indexPath;
        private VectorOperationConverter<IN> converter;
        private BufferedWriteOptions write = BufferedWriteOptions.DEFAULTS;
        private IndexedModel model;

        public Builder<IN> indexPath(Path path) {
            this.indexPath = path.toAbsolutePath().normalize().toString();
            return this;
        }

        public Builder<IN> converter(VectorOperationConverter<IN> converter) {
            this.converter = converter;
            return this;
        }

        public Builder<IN> maxBufferedOperations(int operations) {
            this.write = write.withMaxBufferedOperations(operations);
            return this;
        }

        public Builder<IN> flushInterval(Duration interval) {
            this.write = write.withFlushInterval(interval);
            return this;
        }

        /** Writes the buffer once no change arrived for {@code linger} (default 10 ms); zero waits for the interval. */
        public Builder<IN> linger(Duration linger) {
            this.write = write.withLinger(linger);
            return this;
        }

        @Override
        public LuceneSink<IN> createSink(VectorOperationConverter<IN> pipelineConverter, int dimension) {
            return converter(pipelineConverter).build();
        }

        /** Records the pipeline's model in the index, and refuses an index that holds vectors of another model. */
        @Override
        public LuceneSink<IN> createSink(VectorOperationConverter<IN> pipelineConverter, IndexedModel pipelineModel) {
            this.model = pipelineModel;
            return converter(pipelineConverter).build();
        }

        /** One writer per index. */
        /** Document metadata and entry positions are kept once per document, in a record next to its entries. */
        @Override
        public boolean keepsDocuments() {
            return true;
        }

        @Override
        public OptionalInt requiredParallelism() {
            return OptionalInt.of(1);
        }

        @Override
        public String sinkName() {
            return "lucene";
        }

        public LuceneSink<IN> build() {
            if (indexPath == null) {
                throw new IllegalArgumentException("LuceneSink.builder().indexPath(…) is required");
            }
            if (converter == null) {
                throw new IllegalArgumentException("LuceneSink.builder().converter(…) is required");
            }
            return new LuceneSink<>(new LuceneSinkOptions(indexPath, write, model), converter);
        }
    }
}
