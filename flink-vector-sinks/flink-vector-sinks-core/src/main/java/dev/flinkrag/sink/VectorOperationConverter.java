package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;

/** Maps one stream record (including its change kind) to the store operation it stands for. */
@FunctionalInterface
@PublicEvolving
public interface VectorOperationConverter<IN> extends Serializable {

    /**
     * The operation {@code record} stands for, or {@code null} when it asks nothing of the store (a converter that
     * returns null must override {@link #routingKeyOf}).
     */
    @Nullable
    VectorOperation convert(IN record);

    /**
     * The key sinks route the record by, so that one parallel writer applies everything that touches one entry,
     * in order. By default the id {@link #convert} would give; override it to read the id without building the
     * whole operation. A converter that emits {@link VectorOperation.Kind#RETAIN_ONLY} must route every record
     * by its document instead (every entry belongs to one document), so that a document's retain and the
     * writes of its entries meet in one writer.
     */
    default String routingKeyOf(IN record) {
        return convert(record).id();
    }
}
