package dev.flinkrag.lucene;

import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexedModel;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Optional;

/**
 * The index's {@link IndexState} as one Lucene document (no vector, no text, so no search returns it), rewritten
 * with every flush: searchable with the flush, durable and rolled back with the commits, like the entries.
 */
final class LuceneIndexState {

    static final Term TERM = new Term("kind", "state");
    static final Query QUERY = new TermQuery(TERM);
    private static final String MODEL_ID = "state_model_id";
    private static final String DIMENSION = "state_dimension";
    private static final String FLUSHED_AT = "state_flushed_at";
    private static final String NEWEST_SOURCE_AT = "state_newest_source_at";
    private static final String FLUSH_LAG = "state_flush_lag_ms";

    private LuceneIndexState() {}

    static Document toDocument(IndexState state) {
        Document document = new Document();
        document.add(new StringField(TERM.field(), TERM.text(), Field.Store.NO));
        if (state.model() != null) {
            document.add(new StoredField(MODEL_ID, state.model().id()));
            document.add(new StoredField(DIMENSION, state.model().dimension()));
        }
        document.add(new StoredField(FLUSHED_AT, state.lastFlushMillis()));
        document.add(new StoredField(NEWEST_SOURCE_AT, state.newestSourceMillis()));
        document.add(new StoredField(FLUSH_LAG, state.lastFlushLagMillis()));
        return document;
    }

    /** {@code previous} after one more flush (with {@code model} if given, else the previous one's). */
    static IndexState after(@Nullable IndexState previous, @Nullable IndexedModel model, FlushContext flush) {
        IndexedModel kept = model != null ? model : previous == null ? null : previous.model();
        long newest = Math.max(previous == null ? 0 : previous.newestSourceMillis(), flush.newestSourceMillis());
        return new IndexState(kept, flush.appliedAtMillis(), newest, flush.lagMillis());
    }

    static Optional<IndexState> read(IndexSearcher searcher) throws IOException {
        TopDocs found = searcher.search(QUERY, 1);
        if (found.scoreDocs.length == 0) {
            return Optional.empty();
        }
        Document document = searcher.storedFields().document(found.scoreDocs[0].doc);
        String modelId = document.get(MODEL_ID);
        IndexedModel model = modelId == null ? null
                : new IndexedModel(modelId, document.getField(DIMENSION).numericValue().intValue());
        return Optional.of(new IndexState(model, number(document, FLUSHED_AT), number(document, NEWEST_SOURCE_AT),
                number(document, FLUSH_LAG)));
    }

    private static long number(Document document, String field) {
        return document.getField(field) == null ? 0 : document.getField(field).numericValue().longValue();
    }
}
