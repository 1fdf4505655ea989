package dev.flinkrag.source.kafka;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentRecordDeserializerTest {

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        return new ConsumerRecord<>("docs", 2, 41, key == null ? null : bytes(key), value == null ? null : bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static DocumentChange read(KafkaDocumentFormat format, ConsumerRecord<byte[], byte[]> record) {
        List<DocumentChange> out = new ArrayList<>();
        new DocumentRecordDeserializer(format, "id", "text", List.of()).deserialize(record, new Collector<>() {
            @Override
            public void collect(DocumentChange change) {
                out.add(change);
            }

            @Override
            public void close() {}
        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void jsonRecordsAreKeyedByDocumentVersionedByOffsetAndATombstoneDeletes() {
        DocumentChange upsert = read(KafkaDocumentFormat.JSON,
                record("a.md", "{\"text\": \"Hello.\", \"metadata\": {\"title\": \"A\", \"n\": 3}}"));
        assertThat(upsert.docId()).isEqualTo("a.md");
        assertThat(upsert.version()).isEqualTo(42);
        assertThat(upsert.kind()).isEqualTo(DocumentChange.Kind.UPSERT);
        assertThat(upsert.text()).isEqualTo("Hello.");
        assertThat(upsert.metadata()).containsOnly(Map.entry("title", "A"), Map.entry("n", "3"));
        assertThat(read(KafkaDocumentFormat.JSON, record("a.md", null)).kind()).isEqualTo(DocumentChange.Kind.DELETE);
    }

    @Test
    void rawRecordsCarryTheirBytesTheContentTypeHeaderAndOtherHeadersAsMetadata() {
        ConsumerRecord<byte[], byte[]> raw = record("r.pdf", "%PDF-1.7");
        raw.headers().add(new RecordHeader("content-type", bytes("application/pdf")));
        raw.headers().add(new RecordHeader("source", bytes("crm")));
        DocumentChange change = read(KafkaDocumentFormat.RAW, raw);
        assertThat(change.bytes()).isEqualTo(bytes("%PDF-1.7"));
        assertThat(change.contentType()).isEqualTo("application/pdf");
        assertThat(change.metadata()).containsOnly(Map.entry("source", "crm"));
    }

    @Test
    void debeziumEventsUpsertTheAfterRowDeleteTheBeforeRowAndUnwrapTheSchemaEnvelope() {
        DocumentChange created = read(KafkaDocumentFormat.DEBEZIUM_JSON, record("{\"id\": \"d1\"}",
                "{\"schema\": {}, \"payload\": {\"op\": \"c\", \"after\": {\"id\": \"d1\", \"text\": \"Body.\", "
                        + "\"title\": \"T\", \"empty\": null}}}"));
        assertThat(created.docId()).isEqualTo("d1");
        assertThat(created.text()).isEqualTo("Body.");
        assertThat(created.metadata()).containsOnly(Map.entry("title", "T"));
        DocumentChange deleted = read(KafkaDocumentFormat.DEBEZIUM_JSON, record("{\"id\": \"d1\"}",
                "{\"op\": \"d\", \"before\": {\"id\": \"d1\"}}"));
        assertThat(deleted.kind()).isEqualTo(DocumentChange.Kind.DELETE);
        assertThat(deleted.docId()).isEqualTo("d1");
        assertThat(read(KafkaDocumentFormat.DEBEZIUM_JSON, record("{\"id\": \"d1\"}", null)).docId()).isEqualTo("d1");
    }

    @Test
    void aBadRecordIsAnUnreadableChangeNamingTopicPartitionOffsetAndField() {
        DocumentChange noText = read(KafkaDocumentFormat.JSON, record("a.md", "{\"metadata\": {}}"));
        assertThat(noText.docId()).isEqualTo("a.md");
        assertThat(noText.failure()).contains("docs-2@41").contains("field 'text'");
        DocumentChange notJson = read(KafkaDocumentFormat.JSON, record("a.md", "{nope"));
        assertThat(notJson.docId()).isEqualTo("a.md");
        assertThat(notJson.failure()).contains("not valid JSON");
        DocumentChange noKey = read(KafkaDocumentFormat.JSON, record(null, "{\"text\": \"x\"}"));
        assertThat(noKey.docId()).isEqualTo("kafka:docs-2@41");
        assertThat(noKey.failure()).contains("the record has no key");
        DocumentChange nullBody = read(KafkaDocumentFormat.DEBEZIUM_JSON, record("{\"id\": \"d2\"}",
                "{\"op\": \"u\", \"after\": {\"id\": \"d2\", \"text\": null}}"));
        assertThat(nullBody.docId()).isEqualTo("d2");
        assertThat(nullBody.failure()).contains("column 'text' is NULL");
        assertThat(read(KafkaDocumentFormat.DEBEZIUM_JSON, record("{\"id\": \"d3\"}", "{\"op\": \"t\"}")).failure())
                .contains("field 'op' is 't'");
    }
}
