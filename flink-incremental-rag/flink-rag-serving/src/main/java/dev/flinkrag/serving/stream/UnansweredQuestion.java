package dev.flinkrag.serving.stream;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A dead letter of the live Q&amp;A: a question that cannot be answered, and why.
 *
 * @param id the question's id
 * @param key the question's ordering key
 * @param question what was asked (as given; may be empty)
 * @param reason what is wrong, naming the field ({@code field 'filter': …}) or the chat model's refusal
 */
@PublicEvolving
public record UnansweredQuestion(String id, String key, String question, String reason) {}
