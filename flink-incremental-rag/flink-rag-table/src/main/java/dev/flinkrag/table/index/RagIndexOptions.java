package dev.flinkrag.table.index;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of a {@code rag-index} table of its own; it also reads the {@code model.*}, {@code embedding.*},
 * {@code chunking.*}, {@code parsing.*} and {@code sink.buffer-flush.*} options, and its store's.
 */
@PublicEvolving
public final class RagIndexOptions {

    public static final ConfigOption<IndexStore> STORE = ConfigOptions.key("store")
            .enumType(IndexStore.class)
            .noDefaultValue()
            .withDescription("Where the index lives: 'pgvector' (options url, username, password-env, table-name, "
                    + "…) or 'lucene' (option path).");

    public static final ConfigOption<String> INDEX_NAME = ConfigOptions.key("index.name")
            .stringType()
            .noDefaultValue()
            .withDescription("Prefix of the pipeline's operator uids (so a savepoint survives changes of the query "
                    + "that feeds the table); default the table's name.");

    public static final ConfigOption<String> DEAD_LETTERS_TABLE = ConfigOptions.key("dead-letters.table-name")
            .stringType()
            .noDefaultValue()
            .withDescription("With 'store' = 'pgvector': a table of its database that receives the dead letters "
                    + "(doc_id, version, stage, reason, reported_at), created when missing; none: logged and counted "
                    + "only.");

    private RagIndexOptions() {}
}
