package dev.flinkrag.table.model;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

import java.util.Collection;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The runtime of a {@code flink-rag} chat model, sync and async; see {@link ModelChat}. */
@Internal
final class ChatPredictProvider implements PredictRuntimeProvider, AsyncPredictRuntimeProvider {

    private final HashMap<String, String> options;

    ChatPredictProvider(HashMap<String, String> options) {
        this.options = options;
    }

    @Override
    public PredictFunction createPredictFunction(Context context) {
        return new Sync(options);
    }

    @Override
    public AsyncPredictFunction createAsyncPredictFunction(Context context) {
        return new Async(options);
    }

    @Override
    public ModelProvider copy() {
        return new ChatPredictProvider(new HashMap<>(options));
    }

    /** One row at a time (public: Flink's generated code instantiates it). */
    @Internal
    public static final class Sync extends PredictFunction {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, String> options;
        private transient ModelChat chat;

        Sync(HashMap<String, String> options) {
            this.options = options;
        }

        @Override
        public void open(FunctionContext context) {
            chat = new ModelChat(options, context);
        }

        @Override
        public Collection<RowData> predict(RowData input) {
            try {
                return chat.respond(input).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking the chat model", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the chat model failed: " + e.getCause().getMessage(), e.getCause());
            }
        }

        @Override
        public void close() {
            if (chat != null) {
                chat.close();
            }
        }
    }

    /** Rows in flight at once, as Flink's async ML_PREDICT operator allows. */
    @Internal
    public static final class Async extends AsyncPredictFunction {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, String> options;
        private transient ModelChat chat;

        Async(HashMap<String, String> options) {
            this.options = options;
        }

        @Override
        public void open(FunctionContext context) {
            chat = new ModelChat(options, context);
        }

        @Override
        public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
            return chat.respond(input);
        }

        @Override
        public void close() {
            if (chat != null) {
                chat.close();
            }
        }
    }
}
