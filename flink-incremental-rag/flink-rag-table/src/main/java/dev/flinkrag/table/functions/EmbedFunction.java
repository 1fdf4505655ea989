package dev.flinkrag.table.functions;

import dev.flinkrag.embedding.EmbeddingBatcher;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.functions.AsyncScalarFunction;
import org.apache.flink.table.functions.FunctionContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code EMBED(text [, model])}: the text's vector, {@code ARRAY<FLOAT NOT NULL>}.
 *
 * <p>Flink calls the function once per row; underneath, the rows in flight in every parallel instance of a
 * TaskManager are gathered into batched model calls ({@code embedding.batch.*}), and a text this model embedded
 * before in this JVM (or, with {@code embedding.cache.directory}, before a restart) is answered from the cache
 * without a model call: the UPDATE_BEFORE and DELETE rows of a changelog carry texts that were embedded when they
 * were inserted. Raise {@code table.exec.async-scalar.max-concurrent-operations} (default 10) to let batches fill.
 *
 * <p>A NULL text gives NULL. A text the model refuses, or one longer than it reads, gives NULL too, logged and
 * counted ({@code embed.refused}); a failure that is no text's fault (the server down past the retries, a wrong key)
 * fails the job. {@code model} names another in-process model ({@code 'bge-small-en-v1.5-q'}).
 */
@PublicEvolving
public class EmbedFunction extends AsyncScalarFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EmbedFunction.class);

    /**
     * Results are Flink's internal arrays: Flink 2.2 converts an async scalar function's result without a NULL check,
     * so a NULL {@code float[]} would fail the task; an internal array needs no conversion.
     */
    private static final String VECTOR = "ARRAY<FLOAT NOT NULL>";

    private final FunctionOptions options;
    private transient Map<String, EmbeddingBatcher> batchers;
    private transient FunctionContext context;
    private transient Counter refused;

    /** The in-process all-MiniLM-L6-v2 with the default embedding options (for {@code CREATE FUNCTION}). */
    public EmbedFunction() {
        this(Map.of());
    }

    /** With {@code model.*} and {@code embedding.*} options. */
    public EmbedFunction(Map<String, String> options) {
        this.options = new FunctionOptions(options);
    }

    @Override
    public void open(FunctionContext functionContext) {
        context = functionContext;
        batchers = new ConcurrentHashMap<>();
        refused = functionContext.getMetricGroup().addGroup("embed").counter("refused");
        batcher(null);
    }

    public void eval(@DataTypeHint(value = VECTOR, bridgedTo = ArrayData.class) CompletableFuture<ArrayData> result,
            String text) {
        embed(result, text, null);
    }

    public void eval(@DataTypeHint(value = VECTOR, bridgedTo = ArrayData.class) CompletableFuture<ArrayData> result,
            String text, String model) {
        embed(result, text, model);
    }

    private void embed(CompletableFuture<ArrayData> result, String text, String model) {
        if (text == null) {
            result.complete(null);
            return;
        }
        batcher(model).submit(text, new EmbeddingBatcher.Outcome() {
            @Override
            public void embedded(float[] vector) {
                result.complete(new GenericArrayData(vector));
            }

            @Override
            public void rejected(String reason) {
                refused.inc();
                LOG.warn("EMBED gives NULL for a text of {} characters: {}", text.length(), reason);
                result.complete(null);
            }

            @Override
            public void failed(Throwable error) {
                result.completeExceptionally(error);
            }
        });
    }

    private EmbeddingBatcher batcher(String model) {
        return batchers.computeIfAbsent(model == null ? "" : model, name -> SharedBatchers.acquire(
                options.model(model), options.embedding(), context.getMetricGroup()));
    }

    @Override
    public void close() {
        if (batchers != null) {
            batchers.values().forEach(SharedBatchers::release);
            batchers.clear();
        }
    }
}
