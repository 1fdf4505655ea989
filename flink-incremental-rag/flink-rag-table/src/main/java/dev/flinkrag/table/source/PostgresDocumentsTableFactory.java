package dev.flinkrag.table.source;

import dev.flinkrag.document.DocumentColumns;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.source.postgres.PostgresDocumentSource;
import dev.flinkrag.source.postgres.PostgresDocumentSourceOptions;
import dev.flinkrag.table.DocumentTableSchema;
import dev.flinkrag.table.TableOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code 'connector' = 'postgres-documents'}: a PostgreSQL table as an upsert table of documents, a snapshot and then
 * every insert, update and delete by logical replication (pgoutput), exactly once with Flink's checkpoints.
 *
 * <pre>{@code
 * CREATE TABLE articles (
 *   id STRING, body STRING, title STRING, PRIMARY KEY (id) NOT ENFORCED
 * ) WITH ('connector' = 'postgres-documents', 'url' = 'jdbc:postgresql://db:5432/cms', 'username' = 'flink',
 *         'password-env' = 'PGPASSWORD', 'table-name' = 'articles', 'text-column' = 'body', 'slot.name' = 'rag');
 * }</pre>
 *
 * <p>Column names are the PostgreSQL table's: the PRIMARY KEY column is its document id column, {@code text-column}
 * its text, every other column a metadata column read as text and typed as declared here. The PostgreSQL table needs
 * a primary key or {@code REPLICA IDENTITY FULL}, and the server {@code wal_level = logical}.
 */
@Internal
public final class PostgresDocumentsTableFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "postgres-documents";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostgresConnectionOptions.REQUIRED);
        options.add(PostgresDocumentSourceOptions.TABLE_NAME);
        options.add(PostgresDocumentSourceOptions.SLOT_NAME);
        return options;
    }

    /** Id and metadata columns are the Flink table's columns, so only {@code text-column} of the columns is an option. */
    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(PostgresDocumentSourceOptions.options());
        options.removeAll(requiredOptions());
        options.remove(DocumentColumns.ID_COLUMN);
        options.remove(DocumentColumns.METADATA_COLUMNS);
        return options;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        DocumentTableSchema schema = DocumentTableSchema.of(context.getObjectIdentifier(),
                context.getCatalogTable().getResolvedSchema(), helper.getOptions().get(DocumentColumns.TEXT_COLUMN),
                DocumentColumns.TEXT_COLUMN.key());
        Map<String, String> options = TableOptions.only(context, PostgresDocumentSourceOptions.options());
        options.put(DocumentColumns.ID_COLUMN.key(), schema.idColumn());
        options.put(DocumentColumns.METADATA_COLUMNS.key(), String.join(";", schema.metadataColumns()));
        PostgresDocumentSource source = TableOptions.build(context, IDENTIFIER,
                values -> PostgresDocumentSource.fromOptions(values).build(), options);
        return new DocumentTableSource(source, "postgres-documents(" + helper.getOptions().get(
                PostgresDocumentSourceOptions.TABLE_NAME) + ")", schema, context.getPhysicalRowDataType(), null);
    }
}
