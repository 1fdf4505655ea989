package dev.flinkrag.source.kafka;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaDocumentsOptionsTest {

    @Test
    void theKafkaConnectorsKeysBuildTheSourceAndOtherPropertiesReachTheConsumer() {
        KafkaSource<?> unbounded = KafkaDocuments.fromOptions(Map.of("properties.bootstrap.servers", "kafka:9092",
                "topic", "docs;more-docs", "properties.group.id", "rag", "format", "DEBEZIUM_JSON",
                "text-column", "body", "properties.security.protocol", "SSL")).build();
        assertThat(unbounded.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        KafkaSource<?> bounded = KafkaDocuments.fromOptions(Map.of("properties.bootstrap.servers", "kafka:9092",
                "topic", "docs", "properties.group.id", "rag", "scan.bounded.latest-offset", "true")).build();
        assertThat(bounded.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
    }

    @Test
    void missingAndUnknownOptionsAreNamed() {
        assertThatThrownBy(() -> KafkaDocuments.fromOptions(Map.of("properties.bootstrap.servers", "k:9092",
                "properties.group.id", "rag"))).hasMessage("option 'topic' is required");
        assertThatThrownBy(() -> KafkaDocuments.fromOptions(Map.of("properties.bootstrap.servers", "k:9092",
                "topic", "t", "properties.group.id", "rag", "formatt", "JSON")))
                .hasMessageContaining("unknown option 'formatt'");
        assertThatThrownBy(() -> KafkaDocuments.builder().bootstrapServers("k:9092").groupId("g").build())
                .hasMessage("KafkaDocuments.builder().topics(…) is required");
    }
}
