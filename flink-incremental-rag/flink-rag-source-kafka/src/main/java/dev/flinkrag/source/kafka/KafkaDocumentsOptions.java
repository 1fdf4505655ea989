package dev.flinkrag.source.kafka;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.document.DocumentColumns;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kafka document source's options, for string maps (SQL tables, job arguments), named as Flink's Kafka
 * connector names them; {@link KafkaDocuments#fromOptions} reads them into the same builder Java users call.
 */
@PublicEvolving
public final class KafkaDocumentsOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("properties.bootstrap.servers")
            .stringType()
            .noDefaultValue()
            .withDescription("The brokers.");

    public static final ConfigOption<List<String>> TOPIC = ConfigOptions.key("topic")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("The topics to read, separated by ';'.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("properties.group.id")
            .stringType()
            .noDefaultValue()
            .withDescription("The consumer group; offsets are committed to it on checkpoints, for monitoring.");

    public static final ConfigOption<KafkaDocumentFormat> FORMAT = ConfigOptions.key("format")
            .enumType(KafkaDocumentFormat.class)
            .defaultValue(KafkaDocumentFormat.JSON)
            .withDescription("JSON, RAW or DEBEZIUM_JSON.");

    public static final ConfigOption<Boolean> BOUNDED = ConfigOptions.key("scan.bounded.latest-offset")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop at the offsets that are latest when the job starts (a backfill).");

    /** Other {@code properties.*} keys go to the Kafka consumer as they are (security, timeouts, …). */
    static final String PROPERTIES_PREFIX = "properties.";

    static final OptionSpec SPEC = OptionSpec.of("KafkaDocuments.builder()")
            .required(BOOTSTRAP_SERVERS, "bootstrapServers")
            .required(TOPIC, "topics", topics -> !topics.isEmpty(), "at least one topic")
            .required(GROUP_ID, "groupId")
            .option(FORMAT, "format")
            .option(BOUNDED, "boundedToLatest")
            .option(DocumentColumns.ID_COLUMN, "idColumn")
            .option(DocumentColumns.TEXT_COLUMN, "textColumn")
            .option(DocumentColumns.METADATA_COLUMNS, "metadataColumns");

    private KafkaDocumentsOptions() {}

    static KafkaDocuments.Builder builder(Map<String, String> options) {
        Map<String, String> known = new HashMap<>();
        options.forEach((key, value) -> {
            if (!key.startsWith(PROPERTIES_PREFIX) || SPEC.keys().contains(key)) {
                known.put(key, value);
            }
        });
        Configuration values = SPEC.fromMap(known);
        SPEC.validate(values, false);
        KafkaDocuments.Builder builder = KafkaDocuments.builder()
                .bootstrapServers(values.get(BOOTSTRAP_SERVERS))
                .topics(values.get(TOPIC).toArray(String[]::new))
                .groupId(values.get(GROUP_ID))
                .format(values.get(FORMAT))
                .idColumn(values.get(DocumentColumns.ID_COLUMN))
                .textColumn(values.get(DocumentColumns.TEXT_COLUMN));
        values.getOptional(DocumentColumns.METADATA_COLUMNS)
                .ifPresent(columns -> builder.metadataColumns(columns.toArray(String[]::new)));
        if (values.get(BOUNDED)) {
            builder.boundedToLatest();
        }
        options.forEach((key, value) -> {
            if (key.startsWith(PROPERTIES_PREFIX) && !SPEC.keys().contains(key)) {
                builder.property(key.substring(PROPERTIES_PREFIX.length()), value);
            }
        });
        return builder;
    }
}
