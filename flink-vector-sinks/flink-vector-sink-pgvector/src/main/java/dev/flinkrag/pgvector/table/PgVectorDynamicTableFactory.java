package dev.flinkrag.pgvector.table;

import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.table.RowDataConverter;
import dev.flinkrag.sink.table.VectorDynamicTableSink;
import dev.flinkrag.sink.table.VectorSinkConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashSet;
import java.util.Set;

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
        String textColumn = options.get(VectorSinkConnectorOptions.TEXT_COLUMN);
        String vectorColumn = options.get(VectorSinkConnectorOptions.VECTOR_COLUMN);
        RowDataConverter converter = RowDataConverter.of(
                context.getCatalogTable().getResolvedSchema(), textColumn, vectorColumn);
        Configuration table = Configuration.fromMap(context.getCatalogTable().getOptions());
        table.set(PgVectorOptions.ID_COLUMN, context.getCatalogTable().getResolvedSchema().getPrimaryKey().orElseThrow()
                .getColumns().get(0));
        try {
            PgVectorSink.Builder<RowData> sink = PgVectorSink.<RowData>builder()
                    .options(PgVectorOptions.fromConfiguration(table))
                    .writeOptions(BufferedWriteOptions.fromConfiguration(options))
                    .converter(converter);
            return new VectorDynamicTableSink(sink.build(), options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null),
                    "pgvector(" + options.get(PgVectorOptions.TABLE_NAME) + ")");
        } catch (IllegalArgumentException e) {
            throw new ValidationException("invalid pgvector sink for table " + context.getObjectIdentifier() + ": "
                    + e.getMessage(), e);
        }
    }
}
