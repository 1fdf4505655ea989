package dev.flinkrag.embedding;

import dev.langchain4j.model.TokenCountEstimator;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/** Creates a LangChain4j {@link TokenCountEstimator} inside a Flink task (estimators are not serializable). */
@FunctionalInterface
@PublicEvolving
public interface TokenCountEstimatorProvider extends Serializable {

    TokenCountEstimator create();
}
