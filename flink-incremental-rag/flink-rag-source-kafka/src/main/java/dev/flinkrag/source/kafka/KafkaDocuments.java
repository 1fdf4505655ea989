package dev.flinkrag.source.kafka;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.document.DocumentColumns;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Documents from Kafka topics as document changes, through Flink's {@link KafkaSource} (offsets in checkpoints):
 * records keyed by document id ({@link KafkaDocumentFormat#RAW}, {@link KafkaDocumentFormat#JSON}) or Debezium
 * change events of a documents table ({@link KafkaDocumentFormat#DEBEZIUM_JSON}). A record without a value
 * deletes its document; a record that cannot be read goes to the pipeline's dead letters.
 *
 * <pre>{@code
 * KafkaSource<DocumentChange> source = KafkaDocuments.builder()
 *         .bootstrapServers("kafka:9092").topics("documents").groupId("rag-indexer")
 *         .format(KafkaDocumentFormat.JSON)
 *         .build();
 * DataStream<DocumentChange> documents = env.fromSource(source, WatermarkStrategy.noWatermarks(), "documents");
 * }</pre>
 *
 * <p>All records of one document must be in one partition (keyed by document id, as Debezium keys by primary
 * key): the offset is the document's version.
 */
@PublicEvolving
public final class KafkaDocuments {

    private KafkaDocuments() {}

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder set from the string options of {@link KafkaDocumentsOptions} ({@code properties.bootstrap.servers},
     * {@code topic}, {@code properties.group.id}, {@code format}, …; other {@code properties.*} keys go to the
     * consumer); an unknown key is refused, naming it.
     */
    public static Builder fromOptions(Map<String, String> options) {
        return KafkaDocumentsOptions.builder(options);
    }

    /** {@code bootstrapServers}, {@code topics} and {@code groupId} are required. */
    public static final class Builder {
        private String bootstrapServers;
        private List<String> topics = List.of();
        private String groupId;
        private KafkaDocumentFormat format = KafkaDocumentFormat.JSON;
        private OffsetsInitializer startingOffsets = OffsetsInitializer.earliest();
        private boolean bounded;
        private String idColumn = DocumentColumns.ID_COLUMN.defaultValue();
        private String textColumn = DocumentColumns.TEXT_COLUMN.defaultValue();
        private List<String> metadataColumns = List.of();
        private final Properties properties = new Properties();

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder topics(String... names) {
            this.topics = List.of(names);
            return this;
        }

        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        public Builder format(KafkaDocumentFormat value) {
            this.format = value;
            return this;
        }

        /** Where a job without a checkpoint starts; earliest by default, so the index holds every document. */
        public Builder startingOffsets(OffsetsInitializer offsets) {
            this.startingOffsets = offsets;
            return this;
        }

        /** Stops at the offsets that are latest when the job starts (a backfill); unbounded by default. */
        public Builder boundedToLatest() {
            this.bounded = true;
            return this;
        }

        /** For {@link KafkaDocumentFormat#DEBEZIUM_JSON}: the document id column ({@code id}). */
        public Builder idColumn(String column) {
            this.idColumn = column;
            return this;
        }

        /** For {@link KafkaDocumentFormat#DEBEZIUM_JSON}: the text column ({@code text}). */
        public Builder textColumn(String column) {
            this.textColumn = column;
            return this;
        }

        /** For {@link KafkaDocumentFormat#DEBEZIUM_JSON}: the columns kept as metadata (all others by default). */
        public Builder metadataColumns(String... columns) {
            this.metadataColumns = List.of(columns);
            return this;
        }

        /** Any Kafka consumer property (security, timeouts, …). */
        public Builder property(String key, String value) {
            properties.setProperty(key, value);
            return this;
        }

        public KafkaSource<DocumentChange> build() {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("KafkaDocuments.builder().bootstrapServers(…) is required");
            }
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("KafkaDocuments.builder().topics(…) is required");
            }
            if (groupId == null) {
                throw new IllegalArgumentException("KafkaDocuments.builder().groupId(…) is required");
            }
            KafkaSourceBuilder<DocumentChange> builder = KafkaSource.<DocumentChange>builder()
                    .setBootstrapServers(bootstrapServers)
                    .setTopics(topics)
                    .setGroupId(groupId)
                    .setStartingOffsets(startingOffsets)
                    .setProperties(properties)
                    .setDeserializer(new DocumentRecordDeserializer(format, idColumn, textColumn,
                            new ArrayList<>(metadataColumns)));
            if (bounded) {
                builder.setBounded(OffsetsInitializer.latest());
            }
            return builder.build();
        }
    }
}
