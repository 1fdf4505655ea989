package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;

import java.util.OptionalInt;

/**
 * A store a pipeline can write into without repeating what it already knows: the converter that turns its records
 * into vector operations (routing them by document) and the vectors' dimension. The sinks' builders implement it, so
 * {@code indexed.sinkTo(LuceneSink.<ChunkChange>builder().indexPath(path))} is all a pipeline needs.
 */
@PublicEvolving
public interface VectorSinkFactory<T> {

    /** The sink, given the pipeline's converter and its model's vector size. */
    Sink<T> createSink(VectorOperationConverter<T> converter, int dimension);

    /**
     * The sink, given the pipeline's converter and its model; a store that keeps an {@link IndexState} records the
     * model and refuses to write vectors of another into an index built with one.
     */
    default Sink<T> createSink(VectorOperationConverter<T> converter, IndexedModel model) {
        return createSink(converter, model.dimension());
    }

    /** The parallelism the sink must run with (an embedded Lucene index has one writer), or empty for the job's. */
    default OptionalInt requiredParallelism() {
        return OptionalInt.empty();
    }

    /**
     * Whether the store keeps each document's record once ({@link VectorOperation.DocumentRecord}: its metadata and
     * its entries in order) and resolves an entry's document metadata and position from it when reading, filters
     * included. A pipeline then writes entries with only their document's id, so a change of the document's
     * metadata or of the entries' positions rewrites one record instead of every entry. Stores that do not
     * (remote LangChain4j stores) get the document metadata and position on every entry.
     */
    default boolean keepsDocuments() {
        return false;
    }

    /** A short name for the sink's operator name and uid, e.g. {@code lucene}. */
    String sinkName();
}
