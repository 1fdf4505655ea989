package dev.flinkrag.sink.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncVectorSearchFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The store search off the task thread, one search at a time per instance (a store's connection is not shared
 * between threads), so the task keeps taking rows while the store answers.
 */
@Internal
public final class AsyncStoreVectorSearchFunction extends AsyncVectorSearchFunction {

    private static final long serialVersionUID = 1L;

    private final StoreVectorSearchFunction search;
    private transient ExecutorService executor;

    AsyncStoreVectorSearchFunction(StoreVectorSearchFunction search) {
        this.search = search;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        search.open(context);
        executor = Executors.newSingleThreadExecutor(new ExecutorThreadFactory("flink-rag-vector-search"));
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncVectorSearch(int topK, RowData query) {
        return CompletableFuture.supplyAsync(() -> search.vectorSearch(topK, query), executor);
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
        }
        search.close();
    }
}
