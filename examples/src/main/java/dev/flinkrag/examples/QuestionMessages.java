package dev.flinkrag.examples;

import dev.flinkrag.serving.stream.AnsweredQuestion;
import dev.flinkrag.serving.stream.Question;
import dev.flinkrag.serving.stream.UnansweredQuestion;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * The JSON of the Kafka Q&amp;A example. A question record: key = the conversation (optional), value =
 * {@code {"id": "q-17", "question": "…", "filter": "…"}} ({@code id} defaults to {@code topic-partition-offset},
 * {@code filter} is optional). An answer: {@code {"id", "key", "question", "answer", "sources", "chunk_ids",
 * "answered_at"}}; a dead letter: {@code {"id", "key", "question", "reason"}}.
 */
final class QuestionMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QuestionMessages() {}

    /** A question record as read: the question, or why it is none. */
    public record ReadQuestion(@Nullable Question question, @Nullable UnansweredQuestion unreadable) {}

    /** Reads question records; a record that is not a JSON object with a text {@code question} is unreadable. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<ReadQuestion> {

        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ReadQuestion> out) {
            String position = record.topic() + "-" + record.partition() + "-" + record.offset();
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = JSON.readTree(value);
            } catch (JsonProcessingException e) {
                out.collect(unreadable(position, key, value, "record " + position + " is not JSON: "
                        + e.getOriginalMessage()));
                return;
            }
            if (json == null || !json.isObject()) {
                out.collect(unreadable(position, key, value, "record " + position + " is not a JSON object"));
                return;
            }
            JsonNode question = json.path("question");
            if (!question.isTextual()) {
                out.collect(unreadable(json.path("id").asText(position), key, value,
                        "record " + position + ": field 'question' must be a string"));
                return;
            }
            JsonNode filter = json.path("filter");
            out.collect(new ReadQuestion(new Question(json.path("id").asText(position), key, question.asText(),
                    filter.isTextual() ? filter.asText() : null), null));
        }

        private static ReadQuestion unreadable(String id, @Nullable String key, String value, String reason) {
            return new ReadQuestion(null, new UnansweredQuestion(id, key == null ? id : key, value, reason));
        }

        @Override
        public TypeInformation<ReadQuestion> getProducedType() {
            return TypeInformation.of(ReadQuestion.class);
        }
    }

    static byte[] answer(AnsweredQuestion answer) {
        ObjectNode json = JSON.createObjectNode().put("id", answer.id()).put("key", answer.key())
                .put("question", answer.question()).put("answer", answer.answer());
        answer.sources().forEach(json.putArray("sources")::add);
        answer.chunkIds().forEach(json.putArray("chunk_ids")::add);
        json.put("answered_at", answer.answeredAt());
        return bytes(json);
    }

    static byte[] deadLetter(UnansweredQuestion letter) {
        return bytes(JSON.createObjectNode().put("id", letter.id()).put("key", letter.key())
                .put("question", letter.question()).put("reason", letter.reason()));
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
