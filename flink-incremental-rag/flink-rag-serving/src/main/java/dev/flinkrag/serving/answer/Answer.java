package dev.flinkrag.serving.answer;

import dev.flinkrag.serving.retrieval.RetrievedChunk;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * An answer to a question and the chunks it was drawn from.
 *
 * @param response the answer's text
 * @param sources the chunks the answer used, in the order they are cited ({@code [1]} is the first)
 * @param context every chunk retrieved as context
 */
@PublicEvolving
public record Answer(String response, List<RetrievedChunk> sources, List<RetrievedChunk> context) {}
