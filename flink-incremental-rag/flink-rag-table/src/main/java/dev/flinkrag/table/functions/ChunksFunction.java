package dev.flinkrag.table.functions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

import java.util.Map;

/**
 * {@code CHUNKS(text [, max_tokens [, doc_id]])}: the edit-stable chunks of a text, one row {@code (chunk_id,
 * ordinal, text)} each, cut as the pipeline cuts them (the model's tokenizer, {@code max_tokens} default 100).
 * Chunk ids name the document, so give {@code doc_id} to get the ids the DataStream pipeline and the {@code
 * rag-index} table write; without it they are computed for an empty document id.
 *
 * <pre>{@code
 * SELECT d.doc_id, c.chunk_id, c.`ordinal`, c.text
 * FROM docs AS d, LATERAL TABLE(CHUNKS(d.text, 100, d.doc_id)) AS c;
 * }</pre>
 *
 * <p>Stateless: on an updating table every change of a document retracts all its chunk rows and emits all new
 * ones. {@code INCREMENTAL_CHUNKS} emits only the difference.
 */
@PublicEvolving
@FunctionHint(output = @DataTypeHint("ROW<chunk_id STRING, `ordinal` INT, text STRING>"))
public class ChunksFunction extends TableFunction<Row> {

    private static final long serialVersionUID = 1L;

    static final int DEFAULT_MAX_TOKENS = 100;

    private final FunctionOptions options;
    private transient DocumentSplitting splitting;

    /** Counts tokens with the in-process all-MiniLM-L6-v2's tokenizer (for {@code CREATE FUNCTION}). */
    public ChunksFunction() {
        this(Map.of());
    }

    /** With the tokenizer of the model the {@code model.*} options describe. */
    public ChunksFunction(Map<String, String> options) {
        this.options = new FunctionOptions(options);
    }

    @Override
    public void open(FunctionContext context) {
        splitting = new DocumentSplitting(options.model(null));
    }

    public void eval(String text) {
        eval(text, DEFAULT_MAX_TOKENS, "");
    }

    public void eval(String text, Integer maxTokens) {
        eval(text, maxTokens, "");
    }

    public void eval(String text, Integer maxTokens, String docId) {
        if (text == null) {
            return;
        }
        DocumentSplitting.Chunks chunks = splitting.of(docId == null ? "" : docId, text,
                maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens);
        for (int ordinal = 0; ordinal < chunks.texts().size(); ordinal++) {
            collect(Row.of(chunks.ids().get(ordinal).toString(), ordinal, chunks.texts().get(ordinal)));
        }
    }
}
