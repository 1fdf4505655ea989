package dev.flinkrag.pgvector.table;

import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.sink.table.RowDataConverter;
import dev.flinkrag.sink.table.VectorDynamicTableSink;
import dev.flinkrag.sink.table.VectorSinkConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.Set;

import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.CREATE_TABLE;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.DIMENSION;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.HNSW_DISTANCE;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.HNSW_EF_CONSTRUCTION;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.HNSW_ENABLED;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.HNSW_M;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.METADATA_COLUMN;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.METADATA_MAX_SIZE;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.PASSWORD;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.PASSWORD_ENV;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.TABLE_NAME;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.URL;
import static dev.flinkrag.pgvector.table.PgVectorConnectorOptions.USERNAME;

/**
 * {@code 'connector' = 'pgvector'}: an upsert table sink into a PostgreSQL + pgvector table.
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
public final class PgVectorDynamicTableFactory implements DynamicTableSinkFactory {

    public static final String IDENTIFIER = "pgvector";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(URL, TABLE_NAME, USERNAME, DIMENSION);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(PASSWORD, PASSWORD_ENV, METADATA_COLUMN, CREATE_TABLE, HNSW_ENABLED, HNSW_DISTANCE, HNSW_M,
                HNSW_EF_CONSTRUCTION, METADATA_MAX_SIZE, VectorSinkConnectorOptions.TEXT_COLUMN,
                VectorSinkConnectorOptions.VECTOR_COLUMN, VectorSinkConnectorOptions.BUFFER_FLUSH_MAX_ROWS,
                VectorSinkConnectorOptions.BUFFER_FLUSH_INTERVAL, VectorSinkConnectorOptions.MAX_RETRIES,
                VectorSinkConnectorOptions.RETRY_BACKOFF, FactoryUtil.SINK_PARALLELISM);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        String textColumn = options.get(VectorSinkConnectorOptions.TEXT_COLUMN);
        String vectorColumn = options.get(VectorSinkConnectorOptions.VECTOR_COLUMN);
        RowDataConverter converter = RowDataConverter.of(
                context.getCatalogTable().getResolvedSchema(), textColumn, vectorColumn);
        String idColumn = context.getCatalogTable().getResolvedSchema().getPrimaryKey().orElseThrow()
                .getColumns().get(0);
        try {
            PgVectorSink.Builder<RowData> sink = PgVectorSink.<RowData>builder()
                    .url(options.get(URL))
                    .username(options.get(USERNAME))
                    .table(options.get(TABLE_NAME))
                    .dimension(options.get(DIMENSION))
                    .columns(idColumn, textColumn, options.get(METADATA_COLUMN), vectorColumn)
                    .createTable(options.get(CREATE_TABLE))
                    .hnswIndex(options.get(HNSW_ENABLED), options.get(HNSW_DISTANCE), options.get(HNSW_M),
                            options.get(HNSW_EF_CONSTRUCTION))
                    .maxMetadataBytes((int) Math.min(Integer.MAX_VALUE, options.get(METADATA_MAX_SIZE).getBytes()))
                    .writeOptions(VectorSinkConnectorOptions.writeOptions(options))
                    .converter(converter);
            options.getOptional(PASSWORD).ifPresent(sink::password);
            options.getOptional(PASSWORD_ENV).ifPresent(sink::passwordFromEnvironment);
            return new VectorDynamicTableSink(sink.build(), options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null),
                    "pgvector(" + options.get(TABLE_NAME) + ")");
        } catch (IllegalArgumentException e) {
            throw new ValidationException("invalid pgvector sink for table " + context.getObjectIdentifier() + ": "
                    + e.getMessage(), e);
        }
    }
}
