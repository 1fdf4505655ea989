package dev.flinkrag.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * Creates a LangChain4j {@link EmbeddingStore} inside a Flink task: stores hold clients and connections,
 * which cannot be shipped with a job, so the job ships this small factory instead.
 */
@FunctionalInterface
@PublicEvolving
public interface EmbeddingStoreProvider extends Serializable {

    EmbeddingStore<TextSegment> create();
}
