package dev.flinkrag.pgvector;

import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.sink.VectorSinkFactory;
import dev.flinkrag.sink.VectorStoreSink;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Duration;

/**
 * Builds a Sink V2 that keeps a PostgreSQL + pgvector table in step with a stream of upserts and deletes:
 * one transaction per flush, flushed on size, on the flush interval and before every checkpoint; routed by
 * id, so any parallelism keeps each id's order.
 *
 * <pre>{@code
 * PgVectorOptions table = PgVectorOptions.builder()
 *         .url("jdbc:postgresql://db:5432/rag").username("rag").password(Secret.fromEnvironment("PGPASSWORD"))
 *         .table("chunks").dimension(384).createTable(true)
 *         .build();
 * stream.sinkTo(PgVectorSink.<ChunkChange>builder().options(table).converter(new ChunkChangeConverter()).build());
 * }</pre>
 *
 * The same {@link PgVectorOptions} open the table for searching with {@link PgVectorEmbeddingStore#open}.
 */
@PublicEvolving
public final class PgVectorSink {

    private PgVectorSink() {}

    public static <IN> Builder<IN> builder() {
        return new Builder<>();
    }

    /**
     * Builds the sink; {@code options} (with a dimension) and {@code converter} are required. A pipeline given the
     * builder as a {@link VectorSinkFactory} sets the converter and, when the options have none, the dimension.
     */
    public static final class Builder<IN> implements VectorSinkFactory<IN> {
        private PgVectorOptions options;
        private BufferedWriteOptions write = BufferedWriteOptions.DEFAULTS;
        private VectorOperationConverter<IN> converter;
        @Nullable private IndexedModel model;

        private Builder() {}

        /**
         * The embedding model the vectors come from: recorded in the table's index state ({@code <table>_state}) at
         * the first write; a writer with another model is refused. A pipeline sets it.
         */
        public Builder<IN> model(IndexedModel value) {
            this.model = value;
            return this;
        }

        /** Which table to write and how to reach it. */
        public Builder<IN> options(PgVectorOptions value) {
            this.options = value;
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

        public Builder<IN> retries(int max, Duration initialBackoff, Duration maxBackoff) {
            this.write = write.withRetries(max, initialBackoff, maxBackoff);
            return this;
        }

        public Builder<IN> writeOptions(BufferedWriteOptions value) {
            this.write = value;
            return this;
        }

        public Builder<IN> converter(VectorOperationConverter<IN> value) {
            this.converter = value;
            return this;
        }

        @Override
        public VectorStoreSink<IN> createSink(VectorOperationConverter<IN> pipelineConverter, int dimension) {
            if (options == null) {
                throw new IllegalArgumentException("PgVectorSink.builder().options(…) is required");
            }
            if (options.hasDimension() && options.dimension() != dimension) {
                throw new IllegalArgumentException("PgVectorOptions.builder().dimension(" + options.dimension()
                        + ") differs from the " + dimension + " dimensions of the pipeline's model");
            }
            return options(options.withDimension(dimension)).converter(pipelineConverter).build();
        }

        @Override
        public VectorStoreSink<IN> createSink(VectorOperationConverter<IN> pipelineConverter, IndexedModel pipelineModel) {
            model(pipelineModel);
            return createSink(pipelineConverter, pipelineModel.dimension());
        }

        @Override
        public String sinkName() {
            return "pgvector";
        }

        /** Document metadata and chunk positions are kept once per document, in the table of document records. */
        @Override
        public boolean keepsDocuments() {
            return true;
        }

        public VectorStoreSink<IN> build() {
            if (options == null) {
                throw new IllegalArgumentException("PgVectorSink.builder().options(…) is required");
            }
            options.requireDimension();
            if (converter == null) {
                throw new IllegalArgumentException("PgVectorSink.builder().converter(…) is required");
            }
            PgVectorOptions table = options;
            IndexedModel indexed = model;
            return new VectorStoreSink<>("pgvector table " + table.table(),
                    context -> new PgVectorWriter(table, indexed, context.getTaskInfo().getIndexOfThisSubtask()),
                    converter, write);
        }
    }
}
