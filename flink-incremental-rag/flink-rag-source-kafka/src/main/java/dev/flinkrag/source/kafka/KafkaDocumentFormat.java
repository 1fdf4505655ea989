package dev.flinkrag.source.kafka;

import org.apache.flink.annotation.PublicEvolving;

/** How a Kafka record carries a document. Every format reads a record without a value (a tombstone) as a delete. */
@PublicEvolving
public enum KafkaDocumentFormat {
    /** Key: the document id (UTF-8). Value: the document's bytes, parsed by content type ({@code content-type} header, default text/plain); other headers become metadata. */
    RAW,
    /** Key: the document id (UTF-8). Value: {@code {"text": "...", "metadata": {"k": "v"}}}. */
    JSON,
    /**
     * A Debezium change event (JSON, with or without the schema envelope) of a documents table: {@code c}, {@code r}
     * and {@code u} upsert the {@code after} row, {@code d} deletes the {@code before} row. The id, body and
     * metadata columns are options.
     */
    DEBEZIUM_JSON
}
