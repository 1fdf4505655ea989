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

    /** The parallelism the sink must run with (an embedded Lucene index has one writer), or empty for the job's. */
    default OptionalInt requiredParallelism() {
        return OptionalInt.empty();
    }

    /** A short name for the sink's operator name and uid, e.g. {@code lucene}. */
    String sinkName();
}
