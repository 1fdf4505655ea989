package dev.flinkrag.lucene;

import dev.flinkrag.sink.FlushContext;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexedDocument;
import dev.flinkrag.sink.IndexedModel;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.search.ReciprocalRankFusion;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A Lucene index on local disk holding one entry per id, with HNSW vector search.
 *
 * <p>Writes become searchable when {@link #apply} returns (near-real-time reader refresh) and durable
 * when {@link #commit} returns. Every commit carries an increasing sequence number so that a Flink
 * restore can {@link #rollbackTo roll back} to exactly the commit its checkpoint recorded.
 *
 * <p>One directory has one writer: obtain instances through {@link LuceneIndexes} so that the sink, its
 * committer and searches in the same JVM share it.
 */
@PublicEvolving
public final class LuceneIndex implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneIndex.class);
    private static final int MIN_CANDIDATES = 100;
    /** Splits text into terms when indexing and when searching, so queries meet the indexed terms. */
    private final Analyzer analyzer = new StandardAnalyzer();

    private final Path path;
    private final Directory directory;
    private final CheckpointCommitDeletionPolicy deletionPolicy = new CheckpointCommitDeletionPolicy();
    // searches run concurrently with writes; a rollback swaps writer and searchers under the write lock
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private final boolean readOnly;
    private IndexWriter writer;
    private SearcherManager searchers;
    private long lastSequence;
    /** The model the sink writes with, recorded with each flush; {@code null} until a sink says. */
    @Nullable private IndexedModel model;

    LuceneIndex(Path path, boolean readOnly) throws IOException {
        this.path = path;
        this.readOnly = readOnly;
        this.directory = FSDirectory.open(path);
        if (readOnly) {
            if (!DirectoryReader.indexExists(directory)) {
                directory.close();
                throw new IllegalArgumentException("no Lucene index at " + path);
            }
            // sees the last commit of whatever process writes the index, refreshed before each search
            searchers = new SearcherManager(directory, null);
            return;
        }
        for (IndexCommit commit : listCommits()) {
            lastSequence = Math.max(lastSequence, CheckpointCommitDeletionPolicy.sequenceOf(commit));
        }
        openWriter(null);
    }

    private List<IndexCommit> listCommits() throws IOException {
        return DirectoryReader.indexExists(directory) ? DirectoryReader.listCommits(directory) : List.of();
    }

    private void openWriter(@Nullable IndexCommit startingPoint) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                // durability comes only from commit(): closing after a task failure must not commit changes
                // that no checkpoint covers (they would carry the last commit's sequence and defeat rollback)
                .setCommitOnClose(false)
                .setIndexDeletionPolicy(deletionPolicy)
                .setIndexCommit(startingPoint);
        writer = new IndexWriter(directory, config);
        searchers = new SearcherManager(writer, null);
    }

    public Path path() {
        return path;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("Lucene index " + path + " is open read-only");
        }
    }

    /**
     * Applies operations in order (at most one per id, document retains first, as a flush hands them out) and
     * makes them searchable; not yet durable.
     *
     * @return how many metadata updates found no entry to update and were skipped: their insert never
     *     reached the index because an earlier stage sent it to a dead-letter output (a text the model
     *     refused), and a from-scratch index would not hold that entry either
     */
    public synchronized int apply(Collection<VectorOperation> operations) throws IOException {
        return apply(operations, null);
    }

    /**
     * Applies one flush as {@link #apply(Collection)} does and, with {@code flush}, records it in the index state
     * (with the model {@link #recordModel} set), searchable and durable together with the flush's changes.
     */
    public synchronized int apply(Collection<VectorOperation> operations, @Nullable FlushContext flush)
            throws IOException {
        checkWritable();
        int skipped = 0;
        boolean retained = false;
        for (VectorOperation operation : operations) {
            if (operation.kind() == VectorOperation.Kind.RETAIN_ONLY) {
                writer.deleteDocuments(LuceneDocuments.othersOfDocument(operation));
                Term record = LuceneDocumentRecords.recordOf(operation.id());
                if (operation.document() == null) {
                    writer.deleteDocuments(record);
                } else {
                    writer.updateDocument(record, LuceneDocumentRecords.toDocument(
                            operation.id(), operation.documentField(), operation.document()));
                }
                retained = true;
            }
        }
        if (retained && operations.stream().anyMatch(op -> op.kind() == VectorOperation.Kind.UPDATE_METADATA)) {
            searchers.maybeRefreshBlocking(); // metadata updates below read entries the retains may have removed
        }
        for (VectorOperation operation : operations) {
            Term id = new Term(LuceneDocuments.ID, operation.id());
            switch (operation.kind()) {
                case RETAIN_ONLY -> { } // applied above
                case UPSERT -> writer.updateDocument(id, LuceneDocuments.toDocument(
                        operation.id(), operation.text(), operation.vector(), operation.metadata()));
                case DELETE -> writer.deleteDocuments(id);
                case UPDATE_METADATA -> skipped += updateMetadata(operation, id) ? 0 : 1;
            }
        }
        if (flush != null) {
            writer.updateDocument(LuceneIndexState.TERM,
                    LuceneIndexState.toDocument(LuceneIndexState.after(indexState().orElse(null), model, flush)));
        }
        searchers.maybeRefreshBlocking();
        return skipped;
    }

    private boolean updateMetadata(VectorOperation operation, Term id) throws IOException {
        StoredEntry existing = get(operation.id());
        if (existing == null) {
            LOG.debug("Metadata update for id {} in index {} skipped: no such entry", operation.id(), path);
            return false;
        }
        writer.updateDocument(id, LuceneDocuments.toDocument(
                operation.id(), operation.text(), existing.vector(), operation.metadata()));
        return true;
    }

    /**
     * Removes every entry matching {@code query} (a metadata filter: matched against document records where the index
     * has them), searchable at once; {@code null} removes everything, document records included.
     */
    public synchronized void deleteMatching(@Nullable Query query) throws IOException {
        checkWritable();
        if (query == null) {
            writer.deleteAll();
        } else {
            Query entries = read(searcher -> new LuceneDocumentRecords(searcher).entriesMatching(query));
            writer.deleteDocuments(new BooleanQuery.Builder().add(entries, BooleanClause.Occur.FILTER)
                    .add(LuceneDocumentRecords.ENTRIES, BooleanClause.Occur.FILTER).build());
        }
        searchers.maybeRefreshBlocking();
    }

    /**
     * Records {@code model} as the one the index's vectors come from (searchable at once, durable with the next
     * commit); logs an error naming both if the index holds vectors of another model.
     */
    public synchronized void recordModel(IndexedModel model) throws IOException {
        checkWritable();
        IndexState previous = indexState().orElse(null);
        if (previous != null && previous.model() != null && !previous.model().equals(model)) {
            LOG.error("{}", previous.model().mismatch(model, "Lucene index " + path));
        }
        this.model = model;
        writer.updateDocument(LuceneIndexState.TERM, LuceneIndexState.toDocument(previous == null
                ? new IndexState(model, 0, 0, 0)
                : new IndexState(model, previous.lastFlushMillis(), previous.newestSourceMillis(),
                        previous.lastFlushLagMillis())));
        searchers.maybeRefreshBlocking();
    }

    /** The state the index's writer recorded: its model and its last flush. */
    public Optional<IndexState> indexState() throws IOException {
        return read(LuceneIndexState::read);
    }

    /** Makes everything applied so far durable and returns the sequence number of the new commit. */
    public synchronized long commit() throws IOException {
        checkWritable();
        long sequence = ++lastSequence;
        writer.setLiveCommitData(Map.of(CheckpointCommitDeletionPolicy.COMMIT_SEQUENCE, Long.toString(sequence)).entrySet());
        writer.commit();
        return sequence;
    }

    /** Allows commits older than {@code sequence} to be deleted: no restore needs them any more. */
    public void confirm(long sequence) {
        deletionPolicy.confirm(sequence);
    }

    /**
     * Discards everything applied or committed after the commit with {@code sequence}, so that the index
     * holds exactly what it held when that commit was made.
     */
    public synchronized void rollbackTo(long sequence) throws IOException {
        checkWritable();
        IndexCommit target = null;
        for (IndexCommit commit : listCommits()) {
            if (target == null && CheckpointCommitDeletionPolicy.sequenceOf(commit) == sequence) {
                target = commit;
            }
        }
        if (target == null) {
            throw new IllegalStateException(String.format(
                    "index %s has no commit with sequence %d to restore; was the directory changed or replaced?",
                    path, sequence));
        }
        deletionPolicy.confirm(sequence);
        reopenWriter(target);
        LOG.info("Rolled Lucene index {} back to commit sequence {}", path, sequence);
    }

    /** Removes every entry and commits that; returns the commit's sequence. */
    public synchronized long clearAndCommit() throws IOException {
        checkWritable();
        reopenWriter(null);
        writer.deleteAll();
        searchers.maybeRefreshBlocking();
        return commit();
    }

    /**
     * Discards the current writer and opens a new one at {@code startingPoint} (the latest commit if null).
     * A Flink task attempt always starts here: the writer a failed attempt used may be broken (Flink
     * interrupts cancelled tasks, and an interrupt during file I/O closes Lucene's channels), and must not
     * be trusted, nor may its uncommitted changes survive.
     */
    private void reopenWriter(@Nullable IndexCommit startingPoint) throws IOException {
        swap.writeLock().lock();
        try {
            try {
                searchers.close();
                writer.rollback();
            } catch (IOException | RuntimeException broken) {
                LOG.warn("Discarding a broken writer of Lucene index {}: {}", path, broken.toString());
            }
            openWriter(startingPoint);
        } finally {
            swap.writeLock().unlock();
        }
    }

    @Nullable
    public StoredEntry get(String id) throws IOException {
        List<StoredEntry> found = find(new TermQuery(new Term(LuceneDocuments.ID, id)), 1);
        return found.isEmpty() ? null : found.get(0);
    }

    /** How many entries the index holds (document records not counted). */
    public int count() throws IOException {
        return read(searcher -> searcher.count(LuceneDocumentRecords.ENTRIES));
    }

    /**
     * The documents whose metadata matches {@code filter} (a metadata filter, or {@code null} for all), by id, at
     * most {@code limit}; an index without document records lists the documents its entries name in
     * {@code documentField}.
     */
    public List<IndexedDocument> documents(@Nullable Query filter, String documentField, int limit) throws IOException {
        return read(searcher -> new LuceneDocumentRecords(searcher).documents(filter, documentField, limit));
    }

    /** Every entry, in no particular order. */
    public List<StoredEntry> all() throws IOException {
        return find(LuceneDocumentRecords.ENTRIES, Integer.MAX_VALUE);
    }

    /**
     * The {@code k} nearest entries to {@code vector} among those matching {@code filter} (pre-filtered; a metadata
     * filter, matched against document records where the index has them).
     * The HNSW search explores at least {@value #MIN_CANDIDATES} candidates: Lucene uses k as the search's
     * beam width, and a beam of 1 to 5 is a greedy walk that often stops at a wrong local optimum.
     */
    public List<SearchHit> search(float[] vector, int k, @Nullable Query filter) throws IOException {
        int candidates = Math.max(k, MIN_CANDIDATES);
        return read(searcher -> {
            LuceneDocumentRecords records = new LuceneDocumentRecords(searcher);
            TopDocs top = searcher.search(new KnnFloatVectorQuery(LuceneDocuments.VECTOR, vector, candidates,
                    records.entriesMatching(filter)), k);
            StoredFields stored = searcher.storedFields();
            List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc scoreDoc : top.scoreDocs) {
                hits.add(new SearchHit(records.resolve(LuceneDocuments.toEntry(stored.document(scoreDoc.doc))),
                        scoreDoc.score));
            }
            return hits;
        });
    }

    /**
     * Hybrid search: the nearest entries to {@code vector} and the best BM25 matches of {@code text} (any of
     * its terms, in the text field), both among the entries matching {@code filter} and both at least
     * {@value #MIN_CANDIDATES} deep, fused by {@link ReciprocalRankFusion} (each side's first hit kept in front). A
     * hit's score is its fused score (at most {@code 2 / 61 + 2 / 60}), not a similarity.
     */
    public List<SearchHit> hybridSearch(float[] vector, String text, int k, @Nullable Query filter)
            throws IOException {
        int candidates = Math.max(k, MIN_CANDIDATES);
        return read(searcher -> {
            LuceneDocumentRecords records = new LuceneDocumentRecords(searcher);
            Query entries = records.entriesMatching(filter);
            Query byText = TextQueries.anyTermOf(analyzer, LuceneDocuments.TEXT, text);
            if (entries != null) {
                byText = new BooleanQuery.Builder().add(byText, BooleanClause.Occur.MUST)
                        .add(entries, BooleanClause.Occur.FILTER).build();
            }
            List<Integer> nearest = docIds(searcher.search(
                    new KnnFloatVectorQuery(LuceneDocuments.VECTOR, vector, candidates, entries), candidates));
            List<Integer> bestByText = docIds(searcher.search(byText, candidates));
            StoredFields stored = searcher.storedFields();
            List<SearchHit> hits = new ArrayList<>(k);
            for (Map.Entry<Integer, Double> fused : ReciprocalRankFusion.fuse(
                    List.of(nearest, bestByText), ReciprocalRankFusion.DEFAULT_K, k)) {
                hits.add(new SearchHit(records.resolve(LuceneDocuments.toEntry(stored.document(fused.getKey()))),
                        fused.getValue()));
            }
            return hits;
        });
    }

    private static List<Integer> docIds(TopDocs top) {
        List<Integer> ids = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scoreDoc : top.scoreDocs) {
            ids.add(scoreDoc.doc);
        }
        return ids;
    }

    private List<StoredEntry> find(Query query, int limit) throws IOException {
        return read(searcher -> {
            LuceneDocumentRecords records = new LuceneDocumentRecords(searcher);
            int n = Math.max(1, Math.min(limit, searcher.getIndexReader().maxDoc()));
            TopDocs top = searcher.search(query, n);
            StoredFields stored = searcher.storedFields();
            List<StoredEntry> entries = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc scoreDoc : top.scoreDocs) {
                Document document = stored.document(scoreDoc.doc);
                entries.add(records.resolve(LuceneDocuments.toEntry(document)));
            }
            return entries;
        });
    }

    private <T> T read(SearcherFunction<T> function) throws IOException {
        swap.readLock().lock();
        try {
            if (readOnly) {
                searchers.maybeRefreshBlocking();
            }
            IndexSearcher searcher = searchers.acquire();
            try {
                return function.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } finally {
            swap.readLock().unlock();
        }
    }

    @FunctionalInterface
    private interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    @Override
    public synchronized void close() throws IOException {
        searchers.close();
        if (writer != null) {
            writer.close();
        }
        directory.close();
    }

    static UncheckedIOException unchecked(String action, Path path, IOException e) {
        return new UncheckedIOException(action + " Lucene index " + path + " failed", e);
    }
}
