package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.io.Serializable;

/**
 * Sink V2 for stores that make each flush durable on their own (a database transaction, a remote store's
 * write): the writer flushes before every checkpoint, so a checkpoint completes only once everything before
 * its barrier is in the store, and a replay after a restore re-applies the same operations in the same
 * order per id, which converges to the same content.
 *
 * <p>The sink routes records to its parallel writers itself (by {@link VectorOperationConverter#routingKeyOf}:
 * the id, or the document), so the operations of one id are applied by one writer in their order, at any
 * parallelism.
 */
@PublicEvolving
public final class VectorStoreSink<IN> implements Sink<IN>, SupportsPreWriteTopology<IN> {

    private static final long serialVersionUID = 1L;

    /** Opens the store inside the task; validated configuration, no connection yet. */
    @FunctionalInterface
    public interface WriterFactory extends Serializable {
        VectorStoreWriter open(WriterInitContext context) throws Exception;
    }

    private final String storeName;
    private final WriterFactory writerFactory;
    private final VectorOperationConverter<IN> converter;
    private final BufferedWriteOptions options;

    public VectorStoreSink(String storeName, WriterFactory writerFactory, VectorOperationConverter<IN> converter,
            BufferedWriteOptions options) {
        this.storeName = storeName;
        this.writerFactory = writerFactory;
        this.converter = converter;
        this.options = options;
    }

    @Override
    public DataStream<IN> addPreWriteTopology(DataStream<IN> input) {
        // a class and an explicit key type, not a lambda: Flink extracts a lambda's types through the thread's
        // class loader, which lacks this sink when its jar came with ADD JAR (seen through the SQL gateway)
        return input.keyBy(new RoutingKey<>(converter), Types.STRING);
    }

    /** The converter's routing key of each record. */
    private static final class RoutingKey<IN> implements KeySelector<IN, String> {
        private static final long serialVersionUID = 1L;

        private final VectorOperationConverter<IN> converter;

        RoutingKey(VectorOperationConverter<IN> converter) {
            this.converter = converter;
        }

        @Override
        public String getKey(IN record) {
            return converter.routingKeyOf(record);
        }
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        VectorStoreWriter store;
        try {
            store = writerFactory.open(context);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot open " + storeName, e);
        }
        return new Writer<>(new BufferedOperationWriter<>(converter, store, options,
                context.getProcessingTimeService(), context.metricGroup(), storeName), store);
    }

    @Override
    public String toString() {
        return "VectorStoreSink{" + storeName + "}";
    }

    private static final class Writer<IN> implements SinkWriter<IN> {
        private final BufferedOperationWriter<IN> buffered;
        private final VectorStoreWriter store;

        Writer(BufferedOperationWriter<IN> buffered, VectorStoreWriter store) {
            this.buffered = buffered;
            this.store = store;
        }

        @Override
        public void write(IN element, Context context) throws IOException {
            buffered.write(element);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            buffered.flush();
        }

        @Override
        public void close() throws Exception {
            store.close();
        }
    }
}
