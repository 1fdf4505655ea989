package dev.flinkrag.lucene;

import dev.flinkrag.sink.IndexedDocument;
import dev.flinkrag.sink.VectorOperation;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Document records in a Lucene index ({@link VectorOperation.DocumentRecord}): one Lucene document per indexed
 * document, next to its entries, holding the document's metadata (indexed as entry metadata is, so the same filter
 * queries apply) and its entry ids in order. Records have no vector and no text, so searches never return them.
 *
 * <p>An instance reads through one searcher: it resolves an entry's document metadata and position, and turns a
 * metadata filter into the entries of the documents it matches. An index without records (written through the SQL
 * connector or the {@code EmbeddingStore} API) filters and returns entries as they are.
 */
final class LuceneDocumentRecords {

    private static final String KIND = "kind";
    private static final String RECORD = "document";
    private static final String DOCUMENT_ID = "document_id";
    private static final String DOCUMENT_FIELD = "document_field";
    private static final String ENTRY_IDS = "entry_ids";

    /** Every document record. */
    static final Query RECORDS = new TermQuery(new Term(KIND, RECORD));
    /** Every entry: neither a document record nor the index state. */
    static final Query ENTRIES = new BooleanQuery.Builder()
            .add(new MatchAllDocsQuery(), Occur.FILTER)
            .add(RECORDS, Occur.MUST_NOT)
            .add(LuceneIndexState.QUERY, Occur.MUST_NOT)
            .build();

    private final IndexSearcher searcher;
    private final boolean any;

    LuceneDocumentRecords(IndexSearcher searcher) throws IOException {
        this.searcher = searcher;
        this.any = searcher.count(RECORDS) > 0;
    }

    /** The term a document's record is replaced or deleted by. */
    static Term recordOf(String documentId) {
        return new Term(DOCUMENT_ID, documentId);
    }

    static Document toDocument(String documentId, String documentField, VectorOperation.DocumentRecord record) {
        Document document = new Document();
        document.add(new StringField(KIND, RECORD, Field.Store.NO));
        document.add(new StringField(DOCUMENT_ID, documentId, Field.Store.YES));
        document.add(new StoredField(DOCUMENT_FIELD, documentField));
        for (String entryId : record.entryIds()) {
            document.add(new StoredField(ENTRY_IDS, entryId));
        }
        record.metadata().forEach((key, value) -> LuceneDocuments.addMetadata(document, documentId, key, value));
        return document;
    }

    /**
     * The entries {@code filter} selects: with records, the entries of the documents whose record matches it (their
     * metadata lives there); without, the entries matching it. {@code null} stays {@code null}.
     */
    @Nullable
    Query entriesMatching(@Nullable Query filter) throws IOException {
        if (filter == null || !any) {
            return filter;
        }
        Query matching = new BooleanQuery.Builder().add(RECORDS, Occur.FILTER).add(filter, Occur.FILTER).build();
        int count = searcher.count(matching);
        if (count == 0) {
            return new MatchNoDocsQuery("no document matches the filter");
        }
        Map<String, List<BytesRef>> documentsByField = new TreeMap<>();
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc hit : searcher.search(matching, count).scoreDocs) {
            Document record = stored.document(hit.doc);
            documentsByField.computeIfAbsent(record.get(DOCUMENT_FIELD), field -> new ArrayList<>())
                    .add(new BytesRef(record.get(DOCUMENT_ID)));
        }
        BooleanQuery.Builder entries = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        documentsByField.forEach((field, ids) ->
                entries.add(new TermInSetQuery(LuceneDocuments.META_STRING + field, ids), Occur.SHOULD));
        return entries.build();
    }

    /**
     * The documents whose metadata matches {@code filter}, by id, at most {@code limit}: their records, or without
     * records, the entries' documents (by {@code documentField}) with the metadata of one of their entries.
     */
    List<IndexedDocument> documents(@Nullable Query filter, String documentField, int limit) throws IOException {
        StoredFields stored = searcher.storedFields();
        Map<String, IndexedDocument> documents = new TreeMap<>();
        if (any) {
            Query matching = filter == null ? RECORDS
                    : new BooleanQuery.Builder().add(RECORDS, Occur.FILTER).add(filter, Occur.FILTER).build();
            for (ScoreDoc hit : searcher.search(matching, Math.max(1, searcher.count(matching))).scoreDocs) {
                Document record = stored.document(hit.doc);
                String id = record.get(DOCUMENT_ID);
                documents.put(id, new IndexedDocument(id, LuceneDocuments.metadataOf(record),
                        record.getValues(ENTRY_IDS).length));
            }
        } else {
            Query matching = filter == null ? ENTRIES
                    : new BooleanQuery.Builder().add(ENTRIES, Occur.FILTER).add(filter, Occur.FILTER).build();
            for (ScoreDoc hit : searcher.search(matching, Math.max(1, searcher.count(matching))).scoreDocs) {
                Map<String, Object> metadata = LuceneDocuments.metadataOf(stored.document(hit.doc));
                if (metadata.get(documentField) instanceof String id) {
                    metadata.remove(VectorOperation.DocumentRecord.POSITION);
                    IndexedDocument known = documents.get(id);
                    documents.put(id, new IndexedDocument(id, known == null ? metadata : known.metadata(),
                            known == null ? 1 : known.entries() + 1));
                }
            }
        }
        return documents.values().stream().limit(limit).toList();
    }

    /** {@code entry} with its document's metadata and its position, when a record holds it; else as stored. */
    StoredEntry resolve(StoredEntry entry) throws IOException {
        if (!any) {
            return entry;
        }
        for (Map.Entry<String, Object> field : entry.metadata().entrySet()) {
            if (!(field.getValue() instanceof String documentId)) {
                continue;
            }
            TopDocs found = searcher.search(new TermQuery(recordOf(documentId)), 1);
            if (found.scoreDocs.length == 0) {
                continue;
            }
            Document record = searcher.storedFields().document(found.scoreDocs[0].doc);
            if (!field.getKey().equals(record.get(DOCUMENT_FIELD))) {
                continue;
            }
            Map<String, Object> metadata = new LinkedHashMap<>(LuceneDocuments.metadataOf(record));
            metadata.putAll(entry.metadata());
            metadata.put(VectorOperation.DocumentRecord.POSITION,
                    Arrays.asList(record.getValues(ENTRY_IDS)).indexOf(entry.id()));
            return new StoredEntry(entry.id(), entry.text(), entry.vector(), metadata);
        }
        return entry;
    }
}
