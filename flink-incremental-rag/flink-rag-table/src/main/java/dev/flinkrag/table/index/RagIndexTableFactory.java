package dev.flinkrag.table.index;

import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentColumns;
import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingModels;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.table.DocumentTableSchema;
import dev.flinkrag.table.TableOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code 'connector' = 'rag-index'}: one statement keeps a vector index exact from any changelog of documents.
 *
 * <pre>{@code
 * CREATE TABLE handbook_index (
 *   doc_id STRING, text STRING, title STRING, PRIMARY KEY (doc_id) NOT ENFORCED
 * ) WITH ('connector' = 'rag-index', 'store' = 'pgvector', 'url' = 'jdbc:postgresql://db:5432/rag',
 *         'username' = 'rag', 'password-env' = 'PGPASSWORD', 'table-name' = 'handbook', 'create-table' = 'true');
 * INSERT INTO handbook_index SELECT id, body, title FROM docs;
 * }</pre>
 *
 * <p>The PRIMARY KEY column is the document id, {@code text-column} its text, every other column document metadata.
 */
@Internal
public final class RagIndexTableFactory implements DynamicTableSinkFactory {

    public static final String IDENTIFIER = "rag-index";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(RagIndexOptions.STORE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(IndexStore.allOptions());
        options.add(RagIndexOptions.INDEX_NAME);
        options.add(RagIndexOptions.DEAD_LETTERS_TABLE);
        options.add(DocumentColumns.TEXT_COLUMN);
        options.addAll(EmbeddingModelOptions.ALL);
        options.addAll(EmbeddingOptions.options());
        options.addAll(ChunkingOptions.options());
        options.addAll(ParsingOptions.options());
        options.addAll(IndexStore.FLUSH);
        return options;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        String table = context.getObjectIdentifier().asSummaryString();
        IndexStore store = options.get(RagIndexOptions.STORE);
        checkStoreOptions(context, store);
        DocumentTableSchema schema = DocumentTableSchema.of(context.getObjectIdentifier(),
                context.getCatalogTable().getResolvedSchema(), options.get(DocumentColumns.TEXT_COLUMN),
                DocumentColumns.TEXT_COLUMN.key());
        String name = options.getOptional(RagIndexOptions.INDEX_NAME)
                .orElse(context.getObjectIdentifier().getObjectName().replaceAll("[^A-Za-z0-9._-]", "_"));
        EmbeddingModelProvider model = TableOptions.build(context, IDENTIFIER, EmbeddingModels::fromOptions,
                TableOptions.only(context, EmbeddingModelOptions.ALL));
        if (model.dimension().isEmpty()) {
            throw new ValidationException("invalid '" + IDENTIFIER + "' table " + table + ": model " + model.modelId()
                    + " does not say its vector size; set option '" + EmbeddingModelOptions.DIMENSIONS.key() + "'");
        }
        return new RagIndexTableSink(
                TableOptions.build(context, IDENTIFIER, () -> IndexingPipeline.named(name)),
                schema,
                TableOptions.build(context, IDENTIFIER, ParsingOptions::fromOptions,
                        TableOptions.only(context, ParsingOptions.options())),
                TableOptions.build(context, IDENTIFIER, ChunkingOptions::fromOptions,
                        TableOptions.only(context, ChunkingOptions.options())),
                model,
                TableOptions.build(context, IDENTIFIER, EmbeddingOptions::fromOptions,
                        TableOptions.only(context, EmbeddingOptions.options())),
                TableOptions.build(context, IDENTIFIER, () -> store.sink(context.getCatalogTable().getOptions())),
                "rag-index(" + store.name().toLowerCase(Locale.ROOT) + ", " + model.modelId() + ")",
                deadLetterTable(context, store, options));
    }

    /** The table named by {@code dead-letters.table-name}, in the pgvector store's database; none without one. */
    private static DeadLetterTable deadLetterTable(Context context, IndexStore store, ReadableConfig options) {
        String table = options.getOptional(RagIndexOptions.DEAD_LETTERS_TABLE).orElse(null);
        if (table == null) {
            return null;
        }
        if (store != IndexStore.PGVECTOR) {
            throw new ValidationException("table " + context.getObjectIdentifier().asSummaryString() + ": option '"
                    + RagIndexOptions.DEAD_LETTERS_TABLE.key() + "' needs 'store' = 'pgvector' (the dead letters are "
                    + "written to a table of its database)");
        }
        return TableOptions.build(context, IDENTIFIER,
                () -> new DeadLetterTable(PostgresConnectionOptions.fromConfiguration(options), table));
    }

    /** Options of another store are refused, and the chosen store's required ones must be there. */
    private static void checkStoreOptions(Context context, IndexStore store) {
        Set<String> given = context.getCatalogTable().getOptions().keySet();
        String table = context.getObjectIdentifier().asSummaryString();
        for (IndexStore other : IndexStore.values()) {
            if (other == store) {
                continue;
            }
            for (ConfigOption<?> option : other.options()) {
                if (given.contains(option.key()) && !store.options().contains(option)) {
                    throw new ValidationException("table " + table + ": option '" + option.key() + "' is for 'store' = '"
                            + other.name().toLowerCase(Locale.ROOT) + "', not '"
                            + store.name().toLowerCase(Locale.ROOT) + "'");
                }
            }
        }
        for (ConfigOption<?> option : store.required()) {
            if (!given.contains(option.key())) {
                throw new ValidationException("table " + table + ": 'store' = '"
                        + store.name().toLowerCase(Locale.ROOT) + "' needs option '" + option.key() + "'");
            }
        }
    }
}
