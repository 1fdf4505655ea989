package dev.flinkrag.serving.index;

import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.pgvector.PgVectorEmbeddingStore;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.sink.DocumentListing;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexStateSource;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.filter.GlobMatch;
import dev.flinkrag.sink.search.HybridSearchStore;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;

import org.apache.flink.annotation.PublicEvolving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store a server answers from, with what it can do besides a vector search: list documents (Lucene and
 * pgvector keep document records), hybrid search. Filters are pushed into the store's search. A LangChain4j store
 * of another kind gets every part of a filter it can take; only {@code globmatch} conditions, which LangChain4j's
 * filter language lacks, are checked on a deeper candidate list after the search.
 */
@PublicEvolving
public final class ServedIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServedIndex.class);

    /** How much deeper than k a store without glob filters is searched when a glob is checked afterwards. */
    static final int POST_FILTER_DEPTH = 10;

    private final EmbeddingStore<TextSegment> store;
    private final String name;
    private final boolean pushesGlobs;
    @Nullable private final AutoCloseable owned;

    private ServedIndex(EmbeddingStore<TextSegment> store, String name, boolean pushesGlobs, @Nullable AutoCloseable owned) {
        this.store = store;
        this.name = name;
        this.pushesGlobs = pushesGlobs;
        this.owned = owned;
    }

    /**
     * The Lucene index at {@code path}, read-only: searches see what the writing job has committed (at its last
     * checkpoint); the writer may run in another process.
     */
    public static ServedIndex luceneReadOnly(Path path) {
        LuceneEmbeddingStore store = LuceneEmbeddingStore.openReadOnly(path);
        return new ServedIndex(store, "Lucene index " + path, true, store);
    }

    /**
     * A Lucene store shared with a sink in this JVM (the local example): searches see every flushed change at once.
     * The caller keeps owning the store.
     */
    public static ServedIndex lucene(LuceneEmbeddingStore store, String name) {
        return new ServedIndex(store, name, true, null);
    }

    /** The pgvector table the options name. */
    public static ServedIndex pgvector(PgVectorOptions options) {
        PgVectorEmbeddingStore store = PgVectorEmbeddingStore.open(options);
        return new ServedIndex(store, "pgvector table " + options.table(), true, store);
    }

    /** Any other LangChain4j store; the caller keeps owning it. */
    public static ServedIndex of(EmbeddingStore<TextSegment> store, String name) {
        boolean ours = store instanceof LuceneEmbeddingStore || store instanceof PgVectorEmbeddingStore;
        return new ServedIndex(store, name, ours, null);
    }

    /** What the index is, for status and errors: {@code pgvector table docs}. */
    public String name() {
        return name;
    }

    /** The listing of documents, where the store keeps them. */
    public Optional<DocumentListing> listing() {
        return store instanceof DocumentListing listing ? Optional.of(listing) : Optional.empty();
    }

    /** The state the index's writers recorded (model, last flush), where the store keeps one. */
    public Optional<IndexState> indexState() {
        return store instanceof IndexStateSource source ? source.indexState() : Optional.empty();
    }

    /**
     * Checks that the index was built with {@code model}; throws naming both if it records another. An index that
     * records no model (a SQL vector table, another LangChain4j store) cannot be checked: that is logged.
     */
    public void requireModel(IndexedModel model) {
        Optional<IndexedModel> recorded = indexState().map(IndexState::model);
        if (recorded.isPresent()) {
            recorded.get().requireSame(model, name);
        } else {
            LOG.warn("{} does not record the model it was built with; make sure it is {}", name, model);
        }
    }

    public boolean supportsHybrid() {
        return store instanceof HybridSearchStore;
    }

    /**
     * The {@code k} chunks nearest to {@code query} among those {@code filter} selects, best first; with
     * {@code hybrid}, BM25 on {@code text} fused with the vector ranking.
     */
    public List<EmbeddingMatch<TextSegment>> search(Embedding query, String text, int k, @Nullable Filter filter,
            boolean hybrid) {
        if (hybrid && !supportsHybrid()) {
            throw new UnsupportedOperationException(name + " has no hybrid search");
        }
        if (filter == null || pushesGlobs || !containsGlob(filter)) {
            return run(query, text, k, filter, hybrid);
        }
        // the store takes the conjuncts without a glob; the whole filter is checked on a deeper candidate list
        List<Filter> pushed = new ArrayList<>();
        for (Filter conjunct : conjuncts(filter)) {
            if (!containsGlob(conjunct)) {
                pushed.add(conjunct);
            }
        }
        Filter storeFilter = pushed.stream().reduce(And::new).orElse(null);
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
        for (EmbeddingMatch<TextSegment> match : run(query, text, k * POST_FILTER_DEPTH, storeFilter, hybrid)) {
            if (match.embedded() != null && filter.test(match.embedded().metadata()) && matches.size() < k) {
                matches.add(match);
            }
        }
        return matches;
    }

    private List<EmbeddingMatch<TextSegment>> run(Embedding query, String text, int k, @Nullable Filter filter,
            boolean hybrid) {
        EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                .queryEmbedding(query)
                .maxResults(k)
                .filter(filter)
                .build();
        if (hybrid) {
            return ((HybridSearchStore) store).hybridSearch(request, text).matches();
        }
        return store.search(request).matches();
    }

    private static List<Filter> conjuncts(Filter filter) {
        List<Filter> conjuncts = new ArrayList<>();
        if (filter instanceof And and) {
            conjuncts.addAll(conjuncts(and.left()));
            conjuncts.addAll(conjuncts(and.right()));
        } else {
            conjuncts.add(filter);
        }
        return conjuncts;
    }

    private static boolean containsGlob(Filter filter) {
        if (filter instanceof GlobMatch) {
            return true;
        }
        if (filter instanceof And and) {
            return containsGlob(and.left()) || containsGlob(and.right());
        }
        if (filter instanceof Or or) {
            return containsGlob(or.left()) || containsGlob(or.right());
        }
        return filter instanceof Not not && containsGlob(not.expression());
    }

    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }
}
