package dev.flinkrag.table.functions;

import dev.flinkrag.chunking.ChunkIds;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.functions.ChangelogFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.table.functions.TableSemantics;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code INCREMENTAL_CHUNKS(input => TABLE docs PARTITION BY doc_id [, text_column => 'text'] [, max_tokens => 100],
 * uid => '…')}: the chunk changes of an updating table of documents, rows {@code (doc_id, chunk_id, ordinal,
 * text)}. Per document it keeps its chunks in state and emits only what changed: INSERT for a chunk with new text,
 * UPDATE_BEFORE / UPDATE_AFTER for a chunk whose position moved, DELETE for a chunk that is gone; an unchanged
 * chunk emits nothing, a deleted document DELETEs its chunks. Chunk texts and ids are the DataStream pipeline's.
 *
 * <pre>{@code
 * INSERT INTO chunks
 * SELECT chunk_id, text, EMBED(text), doc_id, `ordinal`
 * FROM INCREMENTAL_CHUNKS(input => TABLE docs PARTITION BY doc_id, uid => 'docs-chunks');
 * }</pre>
 *
 * <p>The output is a retract changelog: Flink lets a process table function emit upserts only on its PARTITION BY
 * key, and chunks are keyed by chunk id, so a chunk's changes carry its whole row, and the state keeps each
 * document's chunk texts to retract them. A row whose text is NULL removes the document's chunks (logged and
 * counted, {@code incrementalChunks.nullTexts}).
 */
@PublicEvolving
@DataTypeHint("ROW<chunk_id STRING, `ordinal` INT, text STRING>")
public class IncrementalChunksFunction extends ProcessTableFunction<Row> implements ChangelogFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IncrementalChunksFunction.class);

    /** A document's chunk texts in order; the ids follow from them and the document id. */
    public static class DocumentChunks {
        public String[] texts;
    }

    private final FunctionOptions options;
    private transient DocumentSplitting splitting;
    private transient Counter nullTexts;

    /** Counts tokens with the in-process all-MiniLM-L6-v2's tokenizer (for {@code CREATE FUNCTION}). */
    public IncrementalChunksFunction() {
        this(Map.of());
    }

    /** With the tokenizer of the model the {@code model.*} options describe. */
    public IncrementalChunksFunction(Map<String, String> options) {
        this.options = new FunctionOptions(options);
    }

    @Override
    public void open(FunctionContext context) {
        splitting = new DocumentSplitting(options.model(null));
        nullTexts = context.getMetricGroup().addGroup("incrementalChunks").counter("nullTexts");
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogContext changelogContext) {
        return ChangelogMode.all();
    }

    public void eval(
            Context context,
            @StateHint DocumentChunks state,
            @ArgumentHint(value = {ArgumentTrait.SET_SEMANTIC_TABLE, ArgumentTrait.SUPPORT_UPDATES}, name = "input")
                    Row input,
            @ArgumentHint(name = "text_column", isOptional = true) String textColumn,
            @ArgumentHint(name = "max_tokens", isOptional = true) Integer maxTokens) {
        if (input.getKind() == RowKind.UPDATE_BEFORE) {
            return;
        }
        TableSemantics table = context.tableSemanticsFor("input");
        int[] key = table.partitionByColumns();
        if (key.length != 1) {
            throw new IllegalArgumentException("INCREMENTAL_CHUNKS needs the input partitioned by one column, the "
                    + "document id (TABLE docs PARTITION BY doc_id), was " + key.length + " columns");
        }
        Object id = input.getField(key[0]);
        if (id == null) {
            return; // a NULL key has no document to index; every such row lands here
        }
        String docId = id.toString();
        String[] previous = state.texts == null ? new String[0] : state.texts;
        String text = input.getKind() == RowKind.DELETE ? null : textOf(input, table, textColumn, docId);
        List<String> texts = text == null ? List.of()
                : splitting.of(docId, text, maxTokens == null ? ChunksFunction.DEFAULT_MAX_TOKENS : maxTokens).texts();
        emitDifference(docId, List.of(previous), texts);
        state.texts = texts.toArray(String[]::new);
    }

    private String textOf(Row input, TableSemantics table, String textColumn, String docId) {
        String column = textColumn == null ? "text" : textColumn;
        List<String> names = ((RowType) table.dataType().getLogicalType()).getFieldNames();
        int at = names.indexOf(column);
        if (at < 0) {
            throw new IllegalArgumentException("INCREMENTAL_CHUNKS: the input has no column '" + column
                    + "' (argument text_column); it has " + names);
        }
        Object text = input.getField(at);
        if (text == null) {
            nullTexts.inc();
            LOG.warn("INCREMENTAL_CHUNKS: document {} has a NULL '{}'; its chunks are removed", docId, column);
            return null;
        }
        return text.toString();
    }

    private void emitDifference(String docId, List<String> before, List<String> after) {
        List<UUID> beforeIds = ChunkIds.of(docId, before);
        List<UUID> afterIds = ChunkIds.of(docId, after);
        Map<UUID, Integer> beforeOrdinals = new HashMap<>();
        for (int i = 0; i < beforeIds.size(); i++) {
            beforeOrdinals.put(beforeIds.get(i), i);
        }
        Map<UUID, Integer> afterOrdinals = new HashMap<>();
        for (int i = 0; i < afterIds.size(); i++) {
            afterOrdinals.put(afterIds.get(i), i);
        }
        for (int i = 0; i < beforeIds.size(); i++) {
            if (!afterOrdinals.containsKey(beforeIds.get(i))) {
                collect(Row.ofKind(RowKind.DELETE, beforeIds.get(i).toString(), i, before.get(i)));
            }
        }
        for (int i = 0; i < afterIds.size(); i++) {
            UUID chunk = afterIds.get(i);
            Integer was = beforeOrdinals.get(chunk);
            if (was == null) {
                collect(Row.ofKind(RowKind.INSERT, chunk.toString(), i, after.get(i)));
            } else if (was != i) {
                collect(Row.ofKind(RowKind.UPDATE_BEFORE, chunk.toString(), was, after.get(i)));
                collect(Row.ofKind(RowKind.UPDATE_AFTER, chunk.toString(), i, after.get(i)));
            }
        }
    }
}
