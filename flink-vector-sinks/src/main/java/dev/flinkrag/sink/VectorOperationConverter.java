package dev.flinkrag.sink;

import java.io.Serializable;

/** Maps one stream record (including its change kind) to the store operation it stands for. */
@FunctionalInterface
public interface VectorOperationConverter<IN> extends Serializable {

    VectorOperation convert(IN record);

    /**
     * The id {@link #convert} would give the record; sinks route records by it. Override it when the id can
     * be read without building the whole operation (vector, metadata).
     */
    default String idOf(IN record) {
        return convert(record).id();
    }
}
