package dev.flinkrag.sink.search;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A store that can rank by vector similarity and by the words of the query together: both searches
 * pre-filtered by the request's filter and searched deeper than {@code maxResults}, fused by
 * {@link ReciprocalRankFusion}. Scores are fused scores, not similarities.
 */
@PublicEvolving
public interface HybridSearchStore {

    /** The request's nearest entries and the best text matches of {@code queryText}, fused, best first. */
    EmbeddingSearchResult<TextSegment> hybridSearch(EmbeddingSearchRequest request, String queryText);
}
