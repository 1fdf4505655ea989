package dev.flinkrag.document;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * The one column model of every document source that reads rows (a PostgreSQL table, Debezium records, a Flink
 * {@code Table}): an id column, a text column, and metadata columns, with the same names and defaults everywhere.
 */
@PublicEvolving
public final class DocumentColumns {

    public static final ConfigOption<String> ID_COLUMN = ConfigOptions.key("id-column")
            .stringType()
            .defaultValue("id")
            .withDescription("Column holding the document id (unique).");

    public static final ConfigOption<String> TEXT_COLUMN = ConfigOptions.key("text-column")
            .stringType()
            .defaultValue("text")
            .withDescription("Column holding the document's text.");

    public static final ConfigOption<List<String>> METADATA_COLUMNS = ConfigOptions.key("metadata-columns")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Columns kept as document metadata; by default every column but id and text.");

    private DocumentColumns() {}
}
