package dev.flinkrag.sink.table;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.VectorSearchFunction;
import org.apache.flink.util.function.SerializableSupplier;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Searches the store for each query vector (public: Flink's generated code instantiates it). */
@Internal
public final class StoreVectorSearchFunction extends VectorSearchFunction {

    private static final long serialVersionUID = 1L;

    private final SerializableSupplier<EmbeddingStore<TextSegment>> storeSupplier;
    private final SearchRowConverter rows;
    private transient EmbeddingStore<TextSegment> store;

    StoreVectorSearchFunction(SerializableSupplier<EmbeddingStore<TextSegment>> store, SearchRowConverter rows) {
        this.storeSupplier = store;
        this.rows = rows;
    }

    @Override
    public void open(FunctionContext context) {
        store = storeSupplier.get();
    }

    /** The query row holds the query vector, of the vector column's type (Flink checks it); NULL finds nothing. */
    @Override
    public Collection<RowData> vectorSearch(int topK, RowData query) {
        if (query.isNullAt(0) || topK < 1) {
            return List.of();
        }
        ArrayData vector = query.getArray(0);
        float[] values = new float[vector.size()];
        for (int i = 0; i < values.length; i++) {
            if (vector.isNullAt(i)) {
                throw new IllegalArgumentException("VECTOR_SEARCH: the query vector has a NULL at index " + i);
            }
            values[i] = rows.doubleVector() ? (float) vector.getDouble(i) : vector.getFloat(i);
        }
        List<RowData> found = new ArrayList<>(topK);
        store.search(EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(values)).maxResults(topK).build())
                .matches().forEach(match -> found.add(rows.toRow(match)));
        return found;
    }

    @Override
    public void close() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
