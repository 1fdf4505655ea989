package dev.flinkrag.table.source;

import dev.flinkrag.document.DocumentColumns;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.source.folder.FolderSource;
import dev.flinkrag.source.folder.FolderSourceOptions;
import dev.flinkrag.table.DocumentTableSchema;
import dev.flinkrag.table.TableOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code 'connector' = 'document-folder'}: a folder tree as an upsert table of documents, kept current while files
 * are added, edited, renamed and deleted (with {@code source.monitor-interval}).
 *
 * <pre>{@code
 * CREATE TABLE handbook (
 *   doc_id STRING, text STRING, path STRING, file_name STRING, title STRING, modified_at TIMESTAMP_LTZ(3),
 *   PRIMARY KEY (doc_id) NOT ENFORCED
 * ) WITH ('connector' = 'document-folder', 'path' = '/data/handbook', 'source.monitor-interval' = '1s');
 * }</pre>
 *
 * <p>The PRIMARY KEY column holds the document id (the path inside the folder), {@code text-column} the parsed text,
 * and every other column the metadata field of its name ({@code path}, {@code file_name}, {@code content_type},
 * {@code size_bytes}, {@code modified_at}, and {@code title} where the parser finds one), NULL where a document has
 * none.
 */
@Internal
public final class DocumentFolderTableFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "document-folder";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(FolderSourceOptions.PATH);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(FolderSourceOptions.options());
        options.remove(FolderSourceOptions.PATH);
        options.addAll(ParsingOptions.options());
        options.add(DocumentColumns.TEXT_COLUMN);
        return options;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        DocumentTableSchema schema = DocumentTableSchema.of(context.getObjectIdentifier(),
                context.getCatalogTable().getResolvedSchema(), helper.getOptions().get(DocumentColumns.TEXT_COLUMN),
                DocumentColumns.TEXT_COLUMN.key());
        FolderSource source = TableOptions.build(context, IDENTIFIER, options -> FolderSource.fromOptions(options).build(),
                TableOptions.only(context, FolderSourceOptions.options()));
        ParsingOptions parsing = TableOptions.build(context, IDENTIFIER, ParsingOptions::fromOptions,
                TableOptions.only(context, ParsingOptions.options()));
        return new DocumentTableSource(source, "document-folder(" + helper.getOptions().get(FolderSourceOptions.PATH)
                + ")", schema, context.getPhysicalRowDataType(), parsing);
    }
}
