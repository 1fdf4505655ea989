package dev.flinkrag.source.changelog;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.util.Map;

/**
 * Turns a changelog keyed by document id into document changes: {@code INSERT} and {@code UPDATE_AFTER} rows upsert
 * their document, {@code DELETE} rows delete it, {@code UPDATE_BEFORE} rows are skipped. Versions count each
 * document's rows in arrival order (keyed state, so in checkpoints), which is the order of a changelog keyed by the
 * document's primary key. A row whose id or text is NULL becomes an unreadable change, which the pipeline
 * dead-letters naming the column.
 */
@Internal
public final class DocumentVersioning<T> extends KeyedProcessFunction<String, T, DocumentChange> {

    private static final long serialVersionUID = 1L;

    /** Key of rows without id: they are all keyed alike and dead-lettered. */
    static final String NO_ID = "";

    private final ChangelogRowReader<T> reader;
    private transient ValueState<Long> version;

    public DocumentVersioning(ChangelogRowReader<T> reader) {
        this.reader = reader;
    }

    /** The key to partition rows by: the document id, or one shared key for rows without. */
    public static <T> KeySelector<T, String> keyOf(ChangelogRowReader<T> reader) {
        return row -> {
            String id = reader.idOf(row);
            return id == null ? NO_ID : id;
        };
    }

    @Override
    public void open(OpenContext openContext) {
        version = getRuntimeContext().getState(new ValueStateDescriptor<>("document-version", Types.LONG));
    }

    @Override
    public void processElement(T row, Context context, Collector<DocumentChange> out) throws IOException {
        RowKind kind = reader.kindOf(row);
        if (kind == RowKind.UPDATE_BEFORE) {
            return;
        }
        long next = (version.value() == null ? 0 : version.value()) + 1;
        version.update(next);
        String docId = context.getCurrentKey();
        long now = System.currentTimeMillis();
        if (docId.equals(NO_ID)) {
            out.collect(DocumentChange.unreadable("changelog:NULL", next, "a row has a NULL column '"
                    + reader.idColumn() + "' (the document id): " + row, Map.of(), now));
        } else if (kind == RowKind.DELETE) {
            out.collect(DocumentChange.delete(docId, next, now));
        } else {
            String text = reader.textOf(row);
            out.collect(text == null
                    ? DocumentChange.unreadable(docId, next, "document " + docId + ": column '" + reader.textColumn()
                            + "' is NULL", Map.of(), now)
                    : DocumentChange.upsert(docId, next, text, reader.metadataOf(row)));
        }
    }
}
