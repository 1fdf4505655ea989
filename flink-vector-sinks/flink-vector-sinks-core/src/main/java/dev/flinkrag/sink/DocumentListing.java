package dev.flinkrag.sink;

import dev.langchain4j.store.embedding.filter.Filter;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.util.List;

/**
 * A store that can say which documents it holds, besides searching their chunks: what a document store's
 * {@code /v1/inputs} and {@code /v1/statistics} need. The Lucene and pgvector stores implement it.
 */
@PublicEvolving
public interface DocumentListing {

    /**
     * The documents matching {@code filter} (on document metadata, as a search's filter is), ordered by id, at most
     * {@code limit}.
     */
    List<IndexedDocument> documents(@Nullable Filter filter, int limit);

    /**
     * How many documents match {@code filter} and how many entries they have, with the greatest value of
     * {@code latestField} among them (numbers by value, strings in code point order).
     */
    DocumentStatistics statistics(@Nullable Filter filter, String latestField);
}
