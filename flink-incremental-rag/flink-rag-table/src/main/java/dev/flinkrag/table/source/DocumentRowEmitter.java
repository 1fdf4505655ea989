package dev.flinkrag.table.source;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.table.DocumentTableSchema;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last step of a document table: each document's newest change as an upsert changelog row. A change older than
 * one already emitted is dropped (parsing may reorder a document's changes), a document that is now unreadable or
 * whose metadata does not fit its column leaves the table with a DELETE (as it would be absent from a fresh read of
 * the source), logged and counted ({@code deadLetters}).
 */
@Internal
final class DocumentRowEmitter extends KeyedProcessFunction<String, DocumentChange, RowData> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DocumentRowEmitter.class);

    private final DocumentTableSchema schema;
    /** The version last emitted: positive while the document is in the table, negated once it was deleted. */
    private transient ValueState<Long> emitted;
    private transient Counter deadLetters;

    DocumentRowEmitter(DocumentTableSchema schema) {
        this.schema = schema;
    }

    @Override
    public void open(OpenContext openContext) {
        emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted-version", Types.LONG));
        deadLetters = getRuntimeContext().getMetricGroup().addGroup("documents").counter("deadLetters");
    }

    @Override
    public void processElement(DocumentChange change, Context context, Collector<RowData> out) throws IOException {
        Long last = emitted.value();
        if (last != null && change.version() <= Math.abs(last)) {
            return;
        }
        boolean present = last != null && last > 0;
        if (change.kind() == DocumentChange.Kind.UPSERT) {
            try {
                out.collect(schema.toRow(change, present ? RowKind.UPDATE_AFTER : RowKind.INSERT));
                emitted.update(change.version());
                return;
            } catch (DocumentTableSchema.MetadataValueException e) {
                deadLetters.inc();
                LOG.warn("Skipping document {} (version {}): {}", change.docId(), change.version(), e.getMessage());
            }
        }
        out.collect(schema.deletion(change.docId()));
        emitted.update(-change.version());
    }
}
