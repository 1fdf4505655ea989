package dev.flinkrag.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Checks each record before a vector sink and sends those a store would refuse (no id, a vector of the wrong
 * dimension or with NaN/Inf, metadata of an unsupported type or over the size limit) to a dead-letter output,
 * so one bad record does not fail the job and nothing else is lost. Without it, sinks fail the job naming the
 * id (a Sink V2 writer has no side output).
 *
 * <pre>{@code
 * VectorOperationValidator.Validated<Row> checked = VectorOperationValidator.validate(rows, converter, 384, 1 << 20);
 * checked.valid().sinkTo(PgVectorSink.<Row>builder()...converter(converter).build());
 * checked.invalid().sinkTo(deadLetters);
 * }</pre>
 */
@Internal
public final class VectorOperationValidator<IN> extends ProcessFunction<IN, IN> {

    private static final long serialVersionUID = 1L;

    private final VectorOperationConverter<IN> converter;
    private final int dimension;
    private final int maxMetadataBytes;
    private final OutputTag<InvalidOperation<IN>> invalid;

    private VectorOperationValidator(VectorOperationConverter<IN> converter, int dimension, int maxMetadataBytes,
            OutputTag<InvalidOperation<IN>> invalid) {
        this.converter = converter;
        this.dimension = dimension;
        this.maxMetadataBytes = maxMetadataBytes;
        this.invalid = invalid;
    }

    /** The records a store of {@code dimension} taking {@code maxMetadataBytes} of metadata accepts, and the rest. */
    public record Validated<IN>(SingleOutputStreamOperator<IN> valid, DataStream<InvalidOperation<IN>> invalid) {}

    public static <IN> Validated<IN> validate(DataStream<IN> input, VectorOperationConverter<IN> converter,
            int dimension, int maxMetadataBytes) {
        if (dimension < 1 || maxMetadataBytes < 2) {
            throw new IllegalArgumentException("dimension must be at least 1 and maxMetadataBytes at least 2, were "
                    + dimension + " and " + maxMetadataBytes);
        }
        OutputTag<InvalidOperation<IN>> tag = new OutputTag<>("invalid-vector-operations",
                InvalidOperation.typeOf(input.getType()));
        SingleOutputStreamOperator<IN> valid = input
                .process(new VectorOperationValidator<>(converter, dimension, maxMetadataBytes, tag), input.getType())
                // the input's parallelism, so records pass on where they were (forward): no id's order changes
                .setParallelism(input.getParallelism())
                .name("validate vector operations");
        return new Validated<>(valid, valid.getSideOutput(tag));
    }

    @Override
    public void processElement(IN record, Context context, Collector<IN> out) {
        VectorOperation operation;
        try {
            operation = converter.convert(record);
        } catch (RuntimeException e) {
            context.output(invalid, new InvalidOperation<>(record, null, "cannot convert: " + e.getMessage()));
            return;
        }
        if (operation == null) {
            out.collect(record); // nothing for the store; the sink skips it too
            return;
        }
        String problem = VectorChecks.problem(operation, dimension, maxMetadataBytes);
        if (problem != null) {
            context.output(invalid, new InvalidOperation<>(record, operation.id(),
                    operation.kind() + " of id " + operation.id() + ": " + problem));
            return;
        }
        out.collect(record);
    }
}
