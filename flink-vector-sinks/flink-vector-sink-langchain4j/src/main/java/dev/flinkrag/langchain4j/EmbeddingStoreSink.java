package dev.flinkrag.langchain4j;

import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.VectorOperationConverter;
import dev.flinkrag.sink.VectorSinkFactory;
import dev.flinkrag.sink.VectorStoreSink;

import org.apache.flink.annotation.PublicEvolving;

import java.time.Duration;

/**
 * Builds a Sink V2 into any LangChain4j {@code EmbeddingStore} (Qdrant, Weaviate, Pinecone, Milvus, Chroma,
 * Elasticsearch, OpenSearch, pgvector, in-memory, …): the shared writer core, routed by id, flushed before
 * every checkpoint; see {@link EmbeddingStoreWriter} for how operations map to the store's API. Ready
 * builders for remote stores are in {@code dev.flinkrag.sink.langchain4j.stores}.
 *
 * <pre>{@code
 * stream.sinkTo(EmbeddingStoreSink.<ChunkChange>builder()
 *         .store(QdrantStore.builder().host("qdrant").collection("chunks").build())
 *         .name("qdrant chunks").dimension(384)
 *         .converter(new ChunkChangeConverter())
 *         .build());
 * }</pre>
 */
@PublicEvolving
public final class EmbeddingStoreSink {

    private EmbeddingStoreSink() {}

    public static <IN> Builder<IN> builder() {
        return new Builder<>();
    }

    /**
     * Builds the sink; {@code store}, {@code dimension} and {@code converter} are required. A pipeline given the
     * builder as a {@link VectorSinkFactory} sets the converter and the dimension itself.
     */
    public static final class Builder<IN> implements VectorSinkFactory<IN> {
        private EmbeddingStoreProvider store;
        private String name = "LangChain4j embedding store";
        private int dimension;
        private BufferedWriteOptions write = BufferedWriteOptions.DEFAULTS;
        private VectorOperationConverter<IN> converter;

        public Builder<IN> store(EmbeddingStoreProvider provider) {
            this.store = provider;
            return this;
        }

        /** Names the store in metrics, logs and errors. */
        public Builder<IN> name(String value) {
            this.name = value;
            return this;
        }

        public Builder<IN> dimension(int value) {
            this.dimension = value;
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

        public Builder<IN> converter(VectorOperationConverter<IN> value) {
            this.converter = value;
            return this;
        }

        @Override
        public VectorStoreSink<IN> createSink(VectorOperationConverter<IN> pipelineConverter, int modelDimension) {
            if (dimension > 0 && dimension != modelDimension) {
                throw new IllegalArgumentException("EmbeddingStoreSink.builder().dimension(" + dimension
                        + ") differs from the " + modelDimension + " dimensions of the pipeline's model");
            }
            return converter(pipelineConverter).dimension(modelDimension).build();
        }

        @Override
        public String sinkName() {
            return "embedding-store";
        }

        public VectorStoreSink<IN> build() {
            if (store == null) {
                throw new IllegalArgumentException("EmbeddingStoreSink.builder().store(…) is required");
            }
            if (converter == null) {
                throw new IllegalArgumentException("EmbeddingStoreSink.builder().converter(…) is required");
            }
            if (dimension < 1) {
                throw new IllegalArgumentException("EmbeddingStoreSink.builder().dimension(…) must be at least 1, was "
                        + dimension);
            }
            EmbeddingStoreProvider provider = store;
            int size = dimension;
            String storeName = name;
            return new VectorStoreSink<>(storeName,
                    context -> new EmbeddingStoreWriter(provider.create(), size, storeName), converter, write);
        }
    }
}
