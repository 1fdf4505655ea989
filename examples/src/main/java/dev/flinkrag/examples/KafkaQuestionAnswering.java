package dev.flinkrag.examples;

import dev.flinkrag.serving.stream.AnsweredQuestion;
import dev.flinkrag.serving.stream.LiveQuestionAnswering;
import dev.flinkrag.serving.stream.Question;
import dev.flinkrag.serving.stream.UnansweredQuestion;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.ParameterTool;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Live Q&amp;A over Kafka: each record of the questions topic is answered from the index another flink-rag job keeps
 * fresh, and the answer goes to the answers topic (key = the question's conversation; each conversation's answers in
 * the order it asked). Unreadable records and unanswerable questions go to the dead-letters topic with their reason.
 *
 * <pre>
 * flink run -c dev.flinkrag.examples.KafkaQuestionAnswering flink-rag-examples.jar \
 *     --bootstrap-servers kafka:9092 [--questions-topic questions] [--answers-topic answers] \
 *     [--dead-letters-topic questions-dead-letters] [--group-id flink-rag-qa] [--checkpoint-interval-ms 10000] \
 *     --store lucene --path /data/index                      # or --store pgvector --url … --table-name …
 *     [--chat.provider openai --chat.base-url http://llm:8000/v1 --chat.model qwen3-8b] [--qa.concurrency 4] …
 * </pre>
 *
 * Every option besides the first six goes to {@link LiveQuestionAnswering} (the keys of {@code flink-rag serve});
 * without {@code chat.provider} answers are extractive. Delivery is at least once: after a failure, questions since
 * the last checkpoint are answered again.
 */
public final class KafkaQuestionAnswering {

    private static final Set<String> OWN_OPTIONS = Set.of("bootstrap-servers", "questions-topic", "answers-topic",
            "dead-letters-topic", "group-id", "checkpoint-interval-ms");
    private static final OutputTag<UnansweredQuestion> UNREADABLE = new OutputTag<>("unreadable-questions") {};

    private KafkaQuestionAnswering() {}

    /** A record's key and its JSON value, as a serializable function for the sink. */
    private interface Field<T, R> extends Function<T, R>, Serializable {}

    /** Writes each element to {@code topic}, keyed by {@code key}, at least once. */
    private static <T> KafkaSink<T> sink(String servers, String topic, Field<T, String> key, Field<T, byte[]> value) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(servers)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer((KafkaRecordSerializationSchema<T>) (element, context, timestamp) ->
                        new ProducerRecord<>(topic, key.apply(element).getBytes(StandardCharsets.UTF_8),
                                value.apply(element)))
                .build();
    }

    public static void main(String[] args) throws Exception {
        ParameterTool options = ParameterTool.fromArgs(args);
        String servers = options.getRequired("bootstrap-servers");
        String questionsTopic = options.get("questions-topic", "questions");
        String answersTopic = options.get("answers-topic", "answers");
        String deadLettersTopic = options.get("dead-letters-topic", questionsTopic + "-dead-letters");
        Map<String, String> answering = new LinkedHashMap<>(options.toMap());
        answering.keySet().removeAll(OWN_OPTIONS);

        StreamExecutionEnvironment env = JobDefaults.environment(Map.of());
        env.enableCheckpointing(options.getLong("checkpoint-interval-ms", 10_000));
        KafkaSource<QuestionMessages.ReadQuestion> source = KafkaSource.<QuestionMessages.ReadQuestion>builder()
                .setBootstrapServers(servers)
                .setTopics(questionsTopic)
                .setGroupId(options.get("group-id", "flink-rag-qa"))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new QuestionMessages.Deserializer())
                .build();
        SingleOutputStreamOperator<Question> questions = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "kafka " + questionsTopic).uid("kafka-questions")
                .process(new ProcessFunction<QuestionMessages.ReadQuestion, Question>() {
                    @Override
                    public void processElement(QuestionMessages.ReadQuestion read, Context context,
                            Collector<Question> out) {
                        if (read.question() != null) {
                            out.collect(read.question());
                        } else {
                            context.output(UNREADABLE, read.unreadable());
                        }
                    }
                })
                .name("read questions").uid("read-questions");

        LiveQuestionAnswering.Answers answers = LiveQuestionAnswering.answer(questions, answering);
        answers.answers().sinkTo(sink(servers, answersTopic, AnsweredQuestion::key, QuestionMessages::answer))
                .name("kafka " + answersTopic).uid("kafka-answers");
        DataStream<UnansweredQuestion> deadLetters = answers.unanswered().union(questions.getSideOutput(UNREADABLE));
        deadLetters.sinkTo(sink(servers, deadLettersTopic, UnansweredQuestion::key, QuestionMessages::deadLetter))
                .name("kafka " + deadLettersTopic).uid("kafka-dead-letters");
        env.execute("flink-rag: Kafka " + questionsTopic + " -> answers");
    }
}
