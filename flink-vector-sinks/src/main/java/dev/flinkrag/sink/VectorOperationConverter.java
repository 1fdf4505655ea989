package dev.flinkrag.sink;

import java.io.Serializable;

/** Maps one stream record (including its change kind) to the store operation it stands for. */
@FunctionalInterface
public interface VectorOperationConverter<IN> extends Serializable {

    VectorOperation convert(IN record);
}
