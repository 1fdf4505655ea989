package dev.flinkrag.source.kafka;

import dev.flinkrag.document.DocumentChange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns each Kafka record into one document change. The version is the record's offset + 1: a document's
 * records share a key, so one partition holds them in order. A record that cannot be read becomes an unreadable
 * change naming the topic, partition, offset and field, which the parsing step dead-letters.
 */
final class DocumentRecordDeserializer implements KafkaRecordDeserializationSchema<DocumentChange> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE_HEADER = "content-type";

    private final KafkaDocumentFormat format;
    private final String idColumn;
    private final String textColumn;
    private final List<String> metadataColumns;

    DocumentRecordDeserializer(KafkaDocumentFormat format, String idColumn, String textColumn,
            List<String> metadataColumns) {
        this.format = format;
        this.idColumn = idColumn;
        this.textColumn = textColumn;
        this.metadataColumns = metadataColumns;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DocumentChange> out) {
        long version = record.offset() + 1;
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            out.collect(switch (format) {
                case RAW -> raw(record, version);
                case JSON -> json(record, version);
                case DEBEZIUM_JSON -> debezium(record, version);
            });
        } catch (BadRecord e) {
            String docId = e.docId != null ? e.docId : documentOfKey(record);
            out.collect(DocumentChange.unreadable(docId != null ? docId : "kafka:" + where, version,
                    "Kafka record " + where + ": " + e.getMessage(), Map.of(), record.timestamp()));
        }
    }

    private DocumentChange raw(ConsumerRecord<byte[], byte[]> record, long version) throws BadRecord {
        String docId = requiredKey(record);
        if (record.value() == null) {
            return DocumentChange.delete(docId, version, record.timestamp());
        }
        Map<String, String> metadata = new HashMap<>();
        String contentType = "text/plain";
        for (Header header : record.headers()) {
            String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            if (header.key().equalsIgnoreCase(CONTENT_TYPE_HEADER)) {
                contentType = value;
            } else {
                metadata.put(header.key(), value);
            }
        }
        return DocumentChange.upsertBytes(docId, version, record.value(), contentType, metadata, record.timestamp());
    }

    private DocumentChange json(ConsumerRecord<byte[], byte[]> record, long version) throws BadRecord {
        String docId = requiredKey(record);
        if (record.value() == null) {
            return DocumentChange.delete(docId, version, record.timestamp());
        }
        JsonNode value = readJson(record.value(), "value");
        JsonNode text = value.get("text");
        if (text == null || !text.isTextual()) {
            throw new BadRecord(docId, "field 'text' is missing or not a string");
        }
        Map<String, String> metadata = new HashMap<>();
        value.path("metadata").fields().forEachRemaining(field -> metadata.put(field.getKey(), field.getValue().asText()));
        return new DocumentChange(docId, version, DocumentChange.Kind.UPSERT, text.asText(), null, null, metadata,
                record.timestamp(), null);
    }

    private DocumentChange debezium(ConsumerRecord<byte[], byte[]> record, long version)
            throws BadRecord {
        if (record.value() == null) {
            // the tombstone Debezium sends after a delete, for log compaction: the delete came before it
            return DocumentChange.delete(debeziumKey(record), version, record.timestamp());
        }
        JsonNode event = unwrap(readJson(record.value(), "value"));
        String op = event.path("op").asText("");
        switch (op) {
            case "c", "r", "u" -> {
                JsonNode row = event.get("after");
                String docId = column(row, idColumn, null);
                JsonNode body = row.get(textColumn);
                if (body == null || body.isNull()) {
                    throw new BadRecord(docId, "column '" + textColumn + "' is NULL");
                }
                if (!body.isTextual()) {
                    throw new BadRecord(docId, "column '" + textColumn + "' is not text");
                }
                return new DocumentChange(docId, version, DocumentChange.Kind.UPSERT, body.asText(), null, null,
                        metadataOf(row), record.timestamp(), null);
            }
            case "d" -> {
                JsonNode before = event.get("before");
                String docId = before != null && before.hasNonNull(idColumn)
                        ? column(before, idColumn, null) : debeziumKey(record);
                return DocumentChange.delete(docId, version, record.timestamp());
            }
            default -> throw new BadRecord(null, "field 'op' is '" + op + "'; expected c, r, u or d");
        }
    }

    private Map<String, String> metadataOf(JsonNode row) {
        Map<String, String> metadata = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = row.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            boolean wanted = metadataColumns.isEmpty()
                    ? !name.equals(idColumn) && !name.equals(textColumn)
                    : metadataColumns.contains(name);
            if (wanted && !field.getValue().isNull()) {
                metadata.put(name, field.getValue().asText());
            }
        }
        return metadata;
    }

    private String column(JsonNode row, String name, String docId) throws BadRecord {
        if (row == null || !row.isObject()) {
            throw new BadRecord(docId, "the event has no row");
        }
        JsonNode value = row.get(name);
        if (value == null || value.isNull()) {
            throw new BadRecord(docId, "column '" + name + "' is missing or NULL");
        }
        return value.asText();
    }

    private String debeziumKey(ConsumerRecord<byte[], byte[]> record) throws BadRecord {
        if (record.key() == null) {
            throw new BadRecord(null, "the record has neither a value nor a key");
        }
        return column(unwrap(readJson(record.key(), "key")), idColumn, null);
    }

    private static JsonNode readJson(byte[] bytes, String what) throws BadRecord {
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new BadRecord(null, "the " + what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRecord(null, "the " + what + " cannot be read: " + e.getMessage());
        }
    }

    /** Debezium's JSON converter wraps the event in {@code {"schema": …, "payload": …}} unless schemas are off. */
    private static JsonNode unwrap(JsonNode node) throws BadRecord {
        if (node == null || !node.isObject()) {
            throw new BadRecord(null, "the value is not a JSON object");
        }
        return node.has("payload") && node.has("schema") ? node.get("payload") : node;
    }

    /** The document a bad record's key names, if any: the dead letter then points at it. */
    private String documentOfKey(ConsumerRecord<byte[], byte[]> record) {
        if (format != KafkaDocumentFormat.DEBEZIUM_JSON) {
            return keyOrNull(record);
        }
        try {
            return debeziumKey(record);
        } catch (BadRecord noUsableKey) {
            return null;
        }
    }

    private static String requiredKey(ConsumerRecord<byte[], byte[]> record) throws BadRecord {
        String key = keyOrNull(record);
        if (key == null || key.isEmpty()) {
            throw new BadRecord(null, "the record has no key; the key is the document id");
        }
        return key;
    }

    private static String keyOrNull(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<DocumentChange> getProducedType() {
        return TypeInformation.of(DocumentChange.class);
    }

    /** A record that cannot be read, and the document it names when that much is known. */
    private static final class BadRecord extends Exception {
        private final String docId;

        BadRecord(String docId, String message) {
            super(message);
            this.docId = docId;
        }
    }
}
