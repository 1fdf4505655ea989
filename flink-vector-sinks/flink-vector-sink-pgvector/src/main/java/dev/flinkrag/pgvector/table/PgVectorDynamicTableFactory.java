package dev.flinkrag.pgvector.table;

import dev.flinkrag.pgvector.PgVectorEmbeddingStore;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.table.RowDataConverter;
import dev.flinkrag.sink.table.SearchRowConverter;
import dev.flinkrag.sink.table.StoreSearchTableSource;
import dev.flinkrag.sink.table.VectorDynamicTableSink;
import dev.flinkrag.sink.table.VectorSinkConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code 'connector' = 'pgvector'}: an upsert table sink into a PostgreSQL + pgvector table, and the search side of
 * {@code VECTOR_SEARCH} over it ({@link StoreSearchTableSource}).
 *
 * <pre>{@code
 * CREATE TABLE chunks (
 *   id STRING, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, ordinal INT,
 *   PRIMARY KEY (id) NOT ENFORCED
 * ) WITH ('connector' = 'pgvector', 'url' = 'jdbc:postgresql://db:5432/rag', 'username' = 'rag',
 *         'password-env' = 'PGPASSWORD', 'table-name' = 'chunks', 'dimension' = '384', 'create-table' = 'true');
 * }</pre>
 */
@Internal
public final class PgVectorDynamicTableFactory implements DynamicTableSinkFactory, DynamicTableSourceFactory {

    public static final String IDENTIFIER = "pgvector";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostgresConnectionOptions.REQUIRED);
        options.add(PgVectorOptions.TABLE_NAME);
        options.add(PgVectorOptions.DIMENSION);
        return options;
    }

    /** The id column is the table's PRIMARY KEY, so {@code id-column} is not an option here. */
    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostgresConnectionOptions.OPTIONAL);
        options.addAll(PgVectorOptions.TABLE_OPTIONS);
        options.removeAll(requiredOptions());
        options.remove(PgVectorOptions.ID_COLUMN);
        options.addAll(BufferedWriteOptions.OPTIONS);
        options.add(FactoryUtil.SINK_PARALLELISM);
        return options;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        RowDataConverter converter = RowDataConverter.of(context.getCatalogTable().getResolvedSchema(),
                options.get(VectorSinkConnectorOptions.TEXT_COLUMN), options.get(VectorSinkConnectorOptions.VECTOR_COLUMN));
        PgVectorOptions table = tableOptions(context);
        try {
            PgVectorSink.Builder<RowData> sink = PgVectorSink.<RowData>builder()
                    .options(table)
                    .writeOptions(BufferedWriteOptions.fromConfiguration(options))
                    .converter(converter);
            return new VectorDynamicTableSink(sink.build(), options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null),
                    "pgvector(" + table.table() + ")");
        } catch (IllegalArgumentException e) {
            throw invalid(context, e);
        }
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        SearchRowConverter rows = SearchRowConverter.of(context.getCatalogTable().getResolvedSchema(),
                options.get(VectorSinkConnectorOptions.TEXT_COLUMN), options.get(VectorSinkConnectorOptions.VECTOR_COLUMN));
        PgVectorOptions table = tableOptions(context);
        return new StoreSearchTableSource(() -> PgVectorEmbeddingStore.open(table), rows, "pgvector(" + table.table() + ")");
    }

    /** The table's options, its PRIMARY KEY as the id column. */
    private static PgVectorOptions tableOptions(Context context) {
        Configuration table = Configuration.fromMap(context.getCatalogTable().getOptions());
        context.getCatalogTable().getResolvedSchema().getPrimaryKey().ifPresent(
                key -> table.set(PgVectorOptions.ID_COLUMN, key.getColumns().get(0)));
        try {
            return PgVectorOptions.fromConfiguration(table);
        } catch (IllegalArgumentException e) {
            throw invalid(context, e);
        }
    }

    private static ValidationException invalid(Context context, IllegalArgumentException e) {
        return new ValidationException("invalid pgvector table " + context.getObjectIdentifier() + ": "
                + e.getMessage(), e);
    }
}
