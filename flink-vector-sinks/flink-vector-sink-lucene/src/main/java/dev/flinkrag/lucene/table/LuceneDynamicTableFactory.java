package dev.flinkrag.lucene.table;

import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.lucene.LuceneSinkOptions;
import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.table.RowDataConverter;
import dev.flinkrag.sink.table.SearchRowConverter;
import dev.flinkrag.sink.table.StoreSearchTableSource;
import dev.flinkrag.sink.table.VectorDynamicTableSink;
import dev.flinkrag.sink.table.VectorSinkConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code 'connector' = 'lucene'}: an upsert table sink into an embedded Lucene HNSW index, readable with
 * {@code LuceneEmbeddingStore.openReadOnly(path)}, and the search side of {@code VECTOR_SEARCH} over it (it sees the
 * writer's last checkpointed commit; the index directory must be on the machine that runs the search).
 */
@Internal
public final class LuceneDynamicTableFactory implements DynamicTableSinkFactory, DynamicTableSourceFactory {

    public static final String IDENTIFIER = "lucene";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(LuceneSinkOptions.PATH);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(VectorSinkConnectorOptions.TEXT_COLUMN, VectorSinkConnectorOptions.VECTOR_COLUMN,
                BufferedWriteOptions.BUFFER_FLUSH_MAX_ROWS, BufferedWriteOptions.BUFFER_FLUSH_INTERVAL,
                BufferedWriteOptions.BUFFER_FLUSH_LINGER);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        RowDataConverter converter = RowDataConverter.of(context.getCatalogTable().getResolvedSchema(),
                options.get(VectorSinkConnectorOptions.TEXT_COLUMN), options.get(VectorSinkConnectorOptions.VECTOR_COLUMN));
        LuceneSink<RowData> sink = LuceneSink.<RowData>builder()
                .indexPath(Path.of(options.get(LuceneSinkOptions.PATH)))
                .maxBufferedOperations(options.get(BufferedWriteOptions.BUFFER_FLUSH_MAX_ROWS))
                .flushInterval(options.get(BufferedWriteOptions.BUFFER_FLUSH_INTERVAL))
                .linger(options.get(BufferedWriteOptions.BUFFER_FLUSH_LINGER))
                .converter(converter)
                .build();
        return new VectorDynamicTableSink(sink, 1, "lucene(" + options.get(LuceneSinkOptions.PATH) + ")");
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        SearchRowConverter rows = SearchRowConverter.of(context.getCatalogTable().getResolvedSchema(),
                options.get(VectorSinkConnectorOptions.TEXT_COLUMN), options.get(VectorSinkConnectorOptions.VECTOR_COLUMN));
        String path = options.get(LuceneSinkOptions.PATH);
        return new StoreSearchTableSource(() -> LuceneEmbeddingStore.openReadOnly(Path.of(path)), rows,
                "lucene(" + path + ")");
    }
}
