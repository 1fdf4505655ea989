package dev.flinkrag.lucene;

import dev.flinkrag.sink.DocumentListing;
import dev.flinkrag.sink.DocumentStatistics;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexStateSource;
import dev.flinkrag.sink.IndexedDocument;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.search.HybridSearchStore;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;

import org.apache.flink.annotation.PublicEvolving;

import static dev.langchain4j.internal.ValidationUtils.ensureNotBlank;
import static dev.langchain4j.internal.ValidationUtils.ensureNotEmpty;
import static dev.langchain4j.internal.ValidationUtils.ensureNotNull;

import org.apache.lucene.search.Query;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Lucene index as a LangChain4j {@link EmbeddingStore}: any LangChain4j retriever or RAG chain can
 * search what a flink-rag job maintains, or write to it directly. Writes are committed before a call
 * returns. Close it to release the index.
 */
@PublicEvolving
public final class LuceneEmbeddingStore implements EmbeddingStore<TextSegment>, HybridSearchStore, DocumentListing,
        IndexStateSource, AutoCloseable {

    /** The metadata field naming an entry's document, as flink-rag pipelines write it. */
    private static final String DOCUMENT_FIELD = "doc_id";

    private final LuceneIndex index;
    private final boolean shared;

    private LuceneEmbeddingStore(LuceneIndex index, boolean shared) {
        this.index = index;
        this.shared = shared;
    }

    /** Opens (or shares, within this JVM) the index at {@code path}. */
    public static LuceneEmbeddingStore open(Path path) {
        return new LuceneEmbeddingStore(LuceneIndexes.acquire(path), true);
    }

    /**
     * Opens the index at {@code path} for searches only, next to a job in another process that writes it;
     * searches see that job's last checkpointed commit. Writes throw {@link UnsupportedOperationException}.
     */
    public static LuceneEmbeddingStore openReadOnly(Path path) {
        return new LuceneEmbeddingStore(LuceneIndexes.openReadOnly(path), false);
    }

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = UUID.randomUUID().toString();
        addAll(List.of(id), List.of(embedding), List.of(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        if (ids.size() != embeddings.size() || (segments != null && segments.size() != ids.size())) {
            throw new IllegalArgumentException(String.format("addAll got %d ids, %d embeddings and %s segments",
                    ids.size(), embeddings.size(), segments == null ? "no" : segments.size()));
        }
        List<VectorOperation> upserts = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            TextSegment segment = segments == null ? null : segments.get(i);
            Map<String, Object> metadata = segment == null ? Map.of() : segment.metadata().toMap();
            upserts.add(VectorOperation.upsert(
                    ids.get(i), segment == null ? null : segment.text(), embeddings.get(i).vector(), metadata));
        }
        write(() -> index.apply(upserts));
    }

    @Override
    public void remove(String id) {
        ensureNotBlank(id, "id");
        removeAll(List.of(id));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        ensureNotEmpty(ids, "ids");
        write(() -> index.apply(ids.stream().map(VectorOperation::delete).toList()));
    }

    @Override
    public void removeAll(Filter filter) {
        ensureNotNull(filter, "filter");
        write(() -> index.deleteMatching(LuceneFilters.toQuery(filter)));
    }

    @Override
    public void removeAll() {
        write(() -> index.deleteMatching(null));
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        Query filter = request.filter() == null ? null : LuceneFilters.toQuery(request.filter());
        try {
            return toResult(index.search(request.queryEmbedding().vector(), request.maxResults(), filter),
                    request.minScore());
        } catch (IOException e) {
            throw LuceneIndex.unchecked("searching", index.path(), e);
        }
    }

    /**
     * Hybrid search: vector similarity to the request's embedding and BM25 on {@code queryText}, both
     * pre-filtered by the request's filter, fused by reciprocal rank, each side's first hit kept in front (a unique
     * identifier only BM25 finds comes first or second). Scores are fused scores (at most {@code 2 / 61 + 2 / 60}), so
     * the request's {@code minScore} should stay 0.
     */
    @Override
    public EmbeddingSearchResult<TextSegment> hybridSearch(EmbeddingSearchRequest request, String queryText) {
        Query filter = request.filter() == null ? null : LuceneFilters.toQuery(request.filter());
        try {
            return toResult(index.hybridSearch(request.queryEmbedding().vector(), queryText, request.maxResults(),
                    filter), request.minScore());
        } catch (IOException e) {
            throw LuceneIndex.unchecked("searching", index.path(), e);
        }
    }

    private static EmbeddingSearchResult<TextSegment> toResult(List<SearchHit> hits, double minScore) {
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
        for (SearchHit hit : hits) {
            if (hit.score() < minScore) {
                continue;
            }
            StoredEntry entry = hit.entry();
            TextSegment segment = entry.text() == null ? null
                    : TextSegment.from(entry.text(), new Metadata(entry.metadata()));
            matches.add(new EmbeddingMatch<>(hit.score(), entry.id(), new Embedding(entry.vector()), segment));
        }
        return new EmbeddingSearchResult<>(matches);
    }

    /** Documents by their metadata; an index written without document records lists its entries' {@code doc_id}s. */
    @Override
    public List<IndexedDocument> documents(@Nullable Filter filter, int limit) {
        try {
            return index.documents(filter == null ? null : LuceneFilters.toQuery(filter), DOCUMENT_FIELD, limit);
        } catch (IOException e) {
            throw LuceneIndex.unchecked("listing documents of", index.path(), e);
        }
    }

    @Override
    public DocumentStatistics statistics(@Nullable Filter filter, String latestField) {
        List<IndexedDocument> documents = documents(filter, Integer.MAX_VALUE);
        long entries = 0;
        Object latest = null;
        for (IndexedDocument document : documents) {
            entries += document.entries();
            latest = DocumentStatistics.greater(latest, document.metadata().get(latestField));
        }
        return new DocumentStatistics(documents.size(), entries, latest);
    }

    /** The state the index's sink recorded: its model and its last flush. */
    @Override
    public Optional<IndexState> indexState() {
        try {
            return index.indexState();
        } catch (IOException e) {
            throw LuceneIndex.unchecked("reading the state of", index.path(), e);
        }
    }

    /** Entries in the index, including changes a sink in this JVM has flushed but not yet committed. */
    public int count() {
        try {
            return index.count();
        } catch (IOException e) {
            throw LuceneIndex.unchecked("counting", index.path(), e);
        }
    }

    private void write(IndexAction action) {
        try {
            action.run();
            index.commit();
        } catch (IOException e) {
            throw LuceneIndex.unchecked("writing to", index.path(), e);
        }
    }

    @Override
    public void close() {
        if (shared) {
            LuceneIndexes.release(index);
        } else {
            try {
                index.close();
            } catch (IOException e) {
                throw LuceneIndex.unchecked("closing", index.path(), e);
            }
        }
    }

    @FunctionalInterface
    private interface IndexAction {
        void run() throws IOException;
    }
}
