package dev.flinkrag.serving.stream;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * The answer to a {@link Question}.
 *
 * @param id the question's id
 * @param key the question's ordering key
 * @param question what was asked
 * @param answer the response; its citations {@code [n]} number {@code sources}
 * @param sources the path (else the document id) of each chunk the answer cites, in citation order
 * @param chunkIds the ids of those chunks in the store, in the same order
 * @param answeredAt when the answer was made, epoch milliseconds
 */
@PublicEvolving
public record AnsweredQuestion(String id, String key, String question, String answer, List<String> sources,
        List<String> chunkIds, long answeredAt) {}
