package dev.flinkrag.sink.table;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.VectorSearchTableSource;
import org.apache.flink.table.connector.source.search.AsyncVectorSearchFunctionProvider;
import org.apache.flink.table.connector.source.search.VectorSearchFunctionProvider;
import org.apache.flink.util.function.SerializableSupplier;

import java.util.Arrays;

/**
 * A vector table as the search side of {@code VECTOR_SEARCH}: each query vector searches the store the table's sink
 * writes, through its LangChain4j store, and returns the {@code top_k} nearest entries as rows of the table with
 * their score (the store's relevance, higher is nearer: {@code (1 + cosine) / 2} for cosine). Sync by default;
 * {@code MAP['async', 'true']} runs the searches on a thread of each function instance.
 */
@Internal
public final class StoreSearchTableSource implements VectorSearchTableSource {

    /** The key Flink passes through from {@code VECTOR_SEARCH}'s config map. */
    static final ConfigOption<Boolean> ASYNC = ConfigOptions.key("async").booleanType().defaultValue(false);

    private final SerializableSupplier<EmbeddingStore<TextSegment>> store;
    private final SearchRowConverter rows;
    private final String summary;

    public StoreSearchTableSource(SerializableSupplier<EmbeddingStore<TextSegment>> store, SearchRowConverter rows,
            String summary) {
        this.store = store;
        this.rows = rows;
        this.summary = summary;
    }

    @Override
    public VectorSearchRuntimeProvider getSearchRuntimeProvider(VectorSearchContext context) {
        int[][] columns = context.getSearchColumns();
        if (columns.length != 1 || columns[0].length != 1 || columns[0][0] != rows.vectorPosition()) {
            throw new ValidationException(summary + " is searched by its vector column only (DESCRIPTOR of the "
                    + "'vector-column'), was columns " + Arrays.deepToString(columns));
        }
        StoreVectorSearchFunction search = new StoreVectorSearchFunction(store, rows);
        return context.runtimeConfig().get(ASYNC)
                ? AsyncVectorSearchFunctionProvider.of(new AsyncStoreVectorSearchFunction(search))
                : VectorSearchFunctionProvider.of(search);
    }

    @Override
    public DynamicTableSource copy() {
        return new StoreSearchTableSource(store, rows, summary);
    }

    @Override
    public String asSummaryString() {
        return summary;
    }
}
