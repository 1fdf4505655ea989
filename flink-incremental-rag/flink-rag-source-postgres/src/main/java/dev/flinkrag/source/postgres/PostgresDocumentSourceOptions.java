package dev.flinkrag.source.postgres;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.document.DocumentColumns;
import dev.flinkrag.postgres.PostgresConnectionOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.Map;
import java.util.Set;

/**
 * The PostgreSQL document source's options, for string maps (SQL tables, job arguments): the connection's
 * ({@link PostgresConnectionOptions}), the document columns ({@link DocumentColumns}) and those below;
 * {@link PostgresDocumentSource#fromOptions} reads them into the same builder Java users call.
 */
@PublicEvolving
public final class PostgresDocumentSourceOptions {

    public static final ConfigOption<String> TABLE_NAME = ConfigOptions.key("table-name")
            .stringType()
            .noDefaultValue()
            .withDescription("The documents table, 'table' or 'schema.table' (schema public by default).");

    public static final ConfigOption<String> SLOT_NAME = ConfigOptions.key("slot.name")
            .stringType()
            .noDefaultValue()
            .withDescription("The replication slot, created if missing; one per job reading the table.");

    public static final ConfigOption<String> PUBLICATION_NAME = ConfigOptions.key("publication.name")
            .stringType()
            .noDefaultValue()
            .withDescription("The publication, created for the table if missing; default the slot name.");

    public static final ConfigOption<Integer> SNAPSHOT_FETCH_SIZE = ConfigOptions.key("scan.snapshot.fetch-size")
            .intType()
            .defaultValue(1_000)
            .withDescription("Rows per snapshot page (one query each).");

    static final OptionSpec SPEC = OptionSpec.of("PostgresDocumentSource.builder()")
            .required(PostgresConnectionOptions.URL, "url")
            .required(PostgresConnectionOptions.USERNAME, "username")
            .option(PostgresConnectionOptions.PASSWORD, "password")
            .option(PostgresConnectionOptions.PASSWORD_ENV, "password")
            .required(TABLE_NAME, "table")
            .option(DocumentColumns.ID_COLUMN, "idColumn")
            .option(DocumentColumns.TEXT_COLUMN, "textColumn")
            .option(DocumentColumns.METADATA_COLUMNS, "metadataColumns")
            .required(SLOT_NAME, "slotName")
            .option(PUBLICATION_NAME, "publicationName")
            .option(SNAPSHOT_FETCH_SIZE, "snapshotFetchSize", rows -> rows >= 1, "at least 1");

    private PostgresDocumentSourceOptions() {}

    /** Every option above, for a SQL table factory's option list. */
    public static Set<ConfigOption<?>> options() {
        return SPEC.options();
    }

    static PostgresDocumentSource.Builder builder(Map<String, String> options) {
        Configuration values = SPEC.fromMap(options);
        SPEC.validate(values, false);
        PostgresConnectionOptions connection = PostgresConnectionOptions.fromConfiguration(values);
        PostgresDocumentSource.Builder builder = PostgresDocumentSource.builder()
                .url(connection.url())
                .username(connection.username())
                .table(values.get(TABLE_NAME))
                .idColumn(values.get(DocumentColumns.ID_COLUMN))
                .textColumn(values.get(DocumentColumns.TEXT_COLUMN))
                .slotName(values.get(SLOT_NAME))
                .snapshotFetchSize(values.get(SNAPSHOT_FETCH_SIZE));
        if (connection.password() != null) {
            builder.password(connection.password());
        }
        values.getOptional(DocumentColumns.METADATA_COLUMNS)
                .ifPresent(columns -> builder.metadataColumns(columns.toArray(String[]::new)));
        values.getOptional(PUBLICATION_NAME).ifPresent(builder::publicationName);
        return builder;
    }
}
