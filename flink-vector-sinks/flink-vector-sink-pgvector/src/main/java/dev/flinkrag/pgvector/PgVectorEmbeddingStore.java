package dev.flinkrag.pgvector;

import dev.flinkrag.sink.DocumentListing;
import dev.flinkrag.sink.DocumentStatistics;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexStateSource;
import dev.flinkrag.sink.IndexedDocument;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.search.HybridSearchStore;
import dev.flinkrag.sink.search.ReciprocalRankFusion;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.annotation.Nullable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The pgvector table a sink writes, as a LangChain4j {@link EmbeddingStore}: the retrieval side. Searches
 * order by the table's distance with the metadata filter evaluated by PostgreSQL in the same query (and HNSW
 * iterative scans on, so a selective filter still fills {@code maxResults}). Scores are LangChain4j's
 * relevance scores, {@code (1 + cosine) / 2}, for a cosine table. Writes through this API use the sink's
 * writer: one transaction per call.
 */
@PublicEvolving
public final class PgVectorEmbeddingStore implements EmbeddingStore<TextSegment>, HybridSearchStore, DocumentListing,
        IndexStateSource, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** How deep each side of a hybrid search goes before fusion, so a hit one side ranks low can still be lifted. */
    private static final int HYBRID_CANDIDATES = 100;
    /** Distinct words of a hybrid query that take part in its text search; a longer question is cut to these. */
    private static final int MAX_QUERY_WORDS = 32;

    private final PgVectorOptions options;
    private final PgVectorWriter writer;
    private final Connection connection;
    private final PgVectorTable table;
    private final PgVectorFilters filters;
    private final PgVectorFilters documentFilters = new PgVectorFilters("d.metadata");
    /** Once the table of document records has a row, it stays in use: a pipeline writes this table. */
    private boolean documentRecords;

    private PgVectorEmbeddingStore(PgVectorOptions options) throws SQLException {
        options.requireDimension();
        this.options = options;
        this.writer = new PgVectorWriter(options);
        this.connection = options.connect(options.connectionProperties("flink-rag pgvector store"));
        this.table = PgVectorTable.prepare(connection, options);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET hnsw.iterative_scan = strict_order");
        }
        this.filters = new PgVectorFilters(table.metadata);
    }

    /** Opens the table the options name (creating it if they say so), for reading and writing. */
    public static PgVectorEmbeddingStore open(PgVectorOptions options) {
        try {
            return new PgVectorEmbeddingStore(options);
        } catch (SQLException e) {
            throw unchecked("opening", options, e);
        }
    }

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        write(List.of(VectorOperation.upsert(id, null, embedding.vector(), Map.of())));
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = UUID.randomUUID().toString();
        addAll(List.of(id), List.of(embedding), List.of(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = embeddings.stream().map(e -> UUID.randomUUID().toString()).toList();
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        List<VectorOperation> operations = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            TextSegment segment = segments == null ? null : segments.get(i);
            operations.add(VectorOperation.upsert(ids.get(i), segment == null ? null : segment.text(),
                    embeddings.get(i).vector(), segment == null ? Map.of() : segment.metadata().toMap()));
        }
        write(operations);
    }

    @Override
    public void removeAll(Collection<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("ids cannot be null or empty");
        }
        write(ids.stream().map(VectorOperation::delete).toList());
    }

    @Override
    public void removeAll(Filter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter cannot be null");
        }
        PgVectorFilters.Condition condition;
        try {
            condition = usesDocumentRecords() ? documentsCondition(filter) : filters.toCondition(filter);
        } catch (SQLException e) {
            throw unchecked("writing to", options, e);
        }
        execute("DELETE FROM " + table.table + " WHERE " + condition.sql(), condition.parameters());
    }

    @Override
    public void removeAll() {
        execute("DELETE FROM " + table.table, List.of());
    }

    /**
     * The nearest rows, filtered and ordered by PostgreSQL. Where a pipeline keeps document records (see
     * {@link PgVectorOptions#documentsTable()}), the filter applies to the documents' metadata and selects their rows,
     * and each row comes back with its document's metadata and its position ({@code ordinal}).
     */
    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        try {
            PgVectorFilters.Condition condition = searchCondition(request.filter());
            String nearest = "SELECT " + table.id + " AS id, " + table.text + " AS text, " + table.metadata
                    + " AS metadata, " + table.vector + " AS vector, " + table.vector + " " + options.distance().operator()
                    + " ?::vector AS distance FROM " + table.table + where(condition) + " ORDER BY distance LIMIT ?";
            List<Object> parameters = new ArrayList<>();
            parameters.add(PgVectorText.format(request.queryEmbedding().vector()));
            parameters.addAll(parameters(condition));
            parameters.add(request.maxResults());
            List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
            for (Row row : rows(nearest, parameters)) {
                double score = score(row.distance());
                if (score >= request.minScore()) {
                    matches.add(row.match(score));
                }
            }
            return new EmbeddingSearchResult<>(matches);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("searching " + options.table() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Hybrid search: the {@value #HYBRID_CANDIDATES} nearest rows and the {@value #HYBRID_CANDIDATES} best text
     * matches of {@code queryText}, both filtered like {@link #search}, fused by {@link ReciprocalRankFusion} (each
     * side's first hit kept in front). Text matches are ranked by PostgreSQL full-text search (configuration 'simple',
     * any word of the query) with each word weighted by its BM25 inverse document frequency, so a rare identifier
     * outranks common words; ties by {@code ts_rank}. Scores are fused scores, so {@code minScore} should stay 0.
     */
    @Override
    public EmbeddingSearchResult<TextSegment> hybridSearch(EmbeddingSearchRequest request, String queryText) {
        try {
            PgVectorFilters.Condition condition = searchCondition(request.filter());
            List<String> nearest = new ArrayList<>();
            String byVector = "SELECT " + table.id + "::text FROM " + table.table + where(condition) + " ORDER BY "
                    + table.vector + " " + options.distance().operator() + " ?::vector LIMIT ?";
            List<Object> parameters = new ArrayList<>(parameters(condition));
            parameters.add(PgVectorText.format(request.queryEmbedding().vector()));
            parameters.add(HYBRID_CANDIDATES);
            try (PreparedStatement query = connection.prepareStatement(byVector)) {
                bindAll(query, parameters);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        nearest.add(rows.getString(1));
                    }
                }
            }
            List<String> bestByText = textMatches(queryText, condition);
            List<Map.Entry<String, Double>> fused = ReciprocalRankFusion.fuse(List.of(nearest, bestByText),
                    ReciprocalRankFusion.DEFAULT_K, request.maxResults());
            Map<String, Double> scores = new LinkedHashMap<>();
            fused.forEach(entry -> scores.put(entry.getKey(), entry.getValue()));
            String chosen = "SELECT " + table.id + " AS id, " + table.text + " AS text, " + table.metadata
                    + " AS metadata, " + table.vector + " AS vector, 0 AS distance FROM " + table.table + " WHERE "
                    + table.id + " = ANY(?::" + table.idType + "[])";
            Map<String, Row> byId = new LinkedHashMap<>();
            for (Row row : rows(chosen, List.of(connection.createArrayOf("text", scores.keySet().toArray())))) {
                byId.put(row.id(), row);
            }
            List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
            scores.forEach((id, score) -> {
                Row row = byId.get(id);
                if (row != null && score >= request.minScore()) {
                    matches.add(row.match(score));
                }
            });
            return new EmbeddingSearchResult<>(matches);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("searching " + options.table() + " failed: " + e.getMessage(), e);
        }
    }

    /** Ids of the best text matches of {@code queryText} among the rows {@code condition} selects, best first. */
    private List<String> textMatches(String queryText, @Nullable PgVectorFilters.Condition condition)
            throws SQLException {
        List<String> words = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT lexeme FROM unnest(to_tsvector('simple'::regconfig, ?)) LIMIT " + MAX_QUERY_WORDS)) {
            query.setString(1, queryText);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    words.add(tsqueryLiteral(rows.getString(1)));
                }
            }
        }
        if (words.isEmpty()) {
            return List.of();
        }
        String anyWord = String.join(" | ", words);
        String vector = table.textSearchVector();
        double[] weights = inverseDocumentFrequencies(words, anyWord);
        StringBuilder weighted = new StringBuilder();
        List<Object> parameters = new ArrayList<>(parameters(condition));
        parameters.add(anyWord);
        for (int i = 0; i < words.size(); i++) {
            weighted.append(i == 0 ? "" : " + ").append("CASE WHEN words @@ ?::tsquery THEN ? ELSE 0 END");
            parameters.add(words.get(i));
            parameters.add(weights[i]);
        }
        parameters.add(anyWord);
        parameters.add(HYBRID_CANDIDATES);
        // materialized, so each row's words are computed once, not once per query word
        String sql = "WITH matched AS MATERIALIZED (SELECT " + table.id + "::text AS id, " + vector + " AS words FROM "
                + table.table + (condition == null ? " WHERE " : where(condition) + " AND ") + vector
                + " @@ ?::tsquery) SELECT id FROM matched ORDER BY " + weighted
                + " DESC, ts_rank(words, ?::tsquery, 1) DESC, id LIMIT ?";
        List<String> ids = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            bindAll(query, parameters);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * BM25's inverse document frequency of each word over the whole table, {@code ln(1 + (n - df + 0.5) / (df + 0.5))}:
     * n is the planner's row estimate (or the rows matching any word, where the table was never analysed).
     */
    private double[] inverseDocumentFrequencies(List<String> words, String anyWord) throws SQLException {
        StringBuilder counts = new StringBuilder("SELECT count(*)");
        for (int i = 0; i < words.size(); i++) {
            counts.append(", count(*) FILTER (WHERE words @@ ?::tsquery)");
        }
        counts.append(", (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(?)) FROM (SELECT ")
                .append(table.textSearchVector()).append(" AS words FROM ").append(table.table).append(" WHERE ")
                .append(table.textSearchVector()).append(" @@ ?::tsquery) m");
        List<Object> parameters = new ArrayList<>(words);
        parameters.add(table.table);
        parameters.add(anyWord);
        double[] weights = new double[words.size()];
        try (PreparedStatement query = connection.prepareStatement(counts.toString())) {
            bindAll(query, parameters);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long rowCount = Math.max(rows.getLong(1), rows.getLong(words.size() + 2));
                for (int i = 0; i < words.size(); i++) {
                    long frequency = rows.getLong(i + 2);
                    weights[i] = Math.log(1 + (rowCount - frequency + 0.5) / (frequency + 0.5));
                }
            }
        }
        return weights;
    }

    /** A lexeme as a tsquery operand, quoted so no character of it is read as an operator. */
    private static String tsqueryLiteral(String lexeme) {
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The rows {@code hits} selects (columns id, text, metadata, vector, distance), with their documents' metadata. */
    private List<Row> rows(String hits, List<Object> parameters) throws SQLException, JsonProcessingException {
        boolean documents = usesDocumentRecords();
        String sql = documents
                ? "SELECT h.id, h.text, h.metadata::text, h.vector::text, h.distance, d.metadata::text, "
                        + "array_position(d.entry_ids, h.id::text) - 1 FROM (" + hits + ") h LEFT JOIN "
                        + table.documents + " d ON d.doc_id = h.metadata ->> " + literal(documentField())
                        + " ORDER BY h.distance"
                : "SELECT h.id, h.text, h.metadata::text, h.vector::text, h.distance FROM (" + hits + ") h "
                        + "ORDER BY h.distance";
        List<Row> found = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            bindAll(query, parameters);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    if (documents && rows.getString(6) != null) {
                        metadata.putAll(metadataTypes(JSON.readValue(rows.getString(6), MAP)));
                        metadata.putAll(metadataTypes(JSON.readValue(rows.getString(3), MAP)));
                        metadata.put(VectorOperation.DocumentRecord.POSITION, rows.getInt(7));
                    } else {
                        metadata.putAll(metadataTypes(JSON.readValue(rows.getString(3), MAP)));
                    }
                    found.add(new Row(rows.getString(1), rows.getString(2), metadata,
                            PgVectorText.parse(rows.getString(4)), rows.getDouble(5)));
                }
            }
        }
        return found;
    }

    /** A row of a search, before it is scored. */
    private record Row(String id, @Nullable String text, Map<String, Object> metadata, float[] vector,
            double distance) {

        EmbeddingMatch<TextSegment> match(double score) {
            return new EmbeddingMatch<>(score, id, new Embedding(vector),
                    text == null ? null : TextSegment.from(text, Metadata.from(metadata)));
        }
    }

    /** The filter as a condition on the table's rows (through the document records, where a pipeline keeps them). */
    @Nullable
    private PgVectorFilters.Condition searchCondition(@Nullable Filter filter) throws SQLException {
        if (filter == null) {
            return null;
        }
        return usesDocumentRecords() ? documentsCondition(filter) : filters.toCondition(filter);
    }

    private static String where(@Nullable PgVectorFilters.Condition condition) {
        return condition == null ? "" : " WHERE " + condition.sql();
    }

    private static List<Object> parameters(@Nullable PgVectorFilters.Condition condition) {
        return condition == null ? List.of() : condition.parameters();
    }

    private static void bindAll(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    /**
     * Documents by their metadata: the records where a pipeline keeps them, else the documents the rows name in
     * {@link PgVectorOptions#documentField()}, each with the metadata of one of its rows.
     */
    @Override
    public List<IndexedDocument> documents(@Nullable Filter filter, int limit) {
        try {
            boolean documents = usesDocumentRecords();
            PgVectorFilters.Condition condition = filter == null ? null
                    : documents ? documentFilters.toCondition(filter) : filters.toCondition(filter);
            String where = condition == null ? "" : " WHERE " + condition.sql();
            String sql = documents
                    ? "SELECT d.doc_id, d.metadata::text, cardinality(d.entry_ids) FROM " + table.documents + " d"
                            + where + " ORDER BY d.doc_id LIMIT ?"
                    : "SELECT " + table.documentOf(documentField()) + ", (array_agg(" + table.metadata + "::text))[1], "
                            + "count(*) FROM " + table.table + where + (where.isEmpty() ? " WHERE " : " AND ")
                            + table.documentOf(documentField()) + " IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT ?";
            List<IndexedDocument> listed = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setInt(bind(query, 1, condition), limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Map<String, Object> metadata = metadataTypes(JSON.readValue(rows.getString(2), MAP));
                        metadata.remove(VectorOperation.DocumentRecord.POSITION);
                        listed.add(new IndexedDocument(rows.getString(1), metadata, rows.getInt(3)));
                    }
                }
            }
            return listed;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("listing documents of " + options.table() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public DocumentStatistics statistics(@Nullable Filter filter, String latestField) {
        try {
            boolean documents = usesDocumentRecords();
            PgVectorFilters.Condition condition = filter == null ? null
                    : documents ? documentFilters.toCondition(filter) : filters.toCondition(filter);
            String where = condition == null ? "" : " WHERE " + condition.sql();
            String metadata = documents ? "d.metadata" : table.metadata;
            String counts = documents
                    ? "SELECT count(*), coalesce(sum(cardinality(d.entry_ids)), 0) FROM " + table.documents + " d" + where
                    : "SELECT count(DISTINCT " + table.documentOf(documentField()) + "), count(*) FROM " + table.table
                            + " d" + where;
            // jsonb orders numbers by value and strings by text; the newest value is the greatest
            String latest = "SELECT (" + metadata + " -> ?)::text FROM " + (documents ? table.documents : table.table)
                    + " d" + (where.isEmpty() ? " WHERE " : where + " AND ") + "jsonb_typeof(" + metadata + " -> ?) IN "
                    + "('number', 'string') ORDER BY jsonb_typeof(" + metadata + " -> ?) DESC, " + metadata
                    + " -> ? DESC LIMIT 1";
            long documentCount;
            long entryCount;
            try (PreparedStatement query = connection.prepareStatement(counts)) {
                bind(query, 1, condition);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    documentCount = rows.getLong(1);
                    entryCount = rows.getLong(2);
                }
            }
            Object newest = null;
            try (PreparedStatement query = connection.prepareStatement(latest)) {
                int parameter = 1;
                query.setString(parameter++, latestField);
                parameter = bind(query, parameter, condition);
                query.setString(parameter++, latestField);
                query.setString(parameter++, latestField);
                query.setString(parameter, latestField);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        newest = metadataTypes(JSON.readValue("{\"v\":" + rows.getString(1) + "}", MAP)).get("v");
                    }
                }
            }
            return new DocumentStatistics(documentCount, entryCount, newest);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("counting documents of " + options.table() + " failed: " + e.getMessage(), e);
        }
    }

    /** The state the table's sink writers recorded in {@code <table>_state}: model and last flush. */
    @Override
    public Optional<IndexState> indexState() {
        try {
            return new PgVectorIndexState(options).read(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the index state of " + options.table() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Sets the condition's parameters from {@code first}; returns the next free parameter. */
    private static int bind(PreparedStatement statement, int first, @Nullable PgVectorFilters.Condition condition)
            throws SQLException {
        int parameter = first;
        if (condition != null) {
            for (Object value : condition.parameters()) {
                statement.setObject(parameter++, value);
            }
        }
        return parameter;
    }

    /** Rows of the documents whose record matches {@code filter}. */
    private PgVectorFilters.Condition documentsCondition(Filter filter) {
        PgVectorFilters.Condition onDocuments = documentFilters.toCondition(filter);
        return new PgVectorFilters.Condition(table.documentOf(documentField()) + " IN (SELECT d.doc_id FROM "
                + table.documents + " d WHERE " + onDocuments.sql() + ")", onDocuments.parameters());
    }

    private String documentField() {
        String field = options.documentField();
        return field == null ? PgVectorOptions.DOCUMENT_FIELD.defaultValue() : field;
    }

    private boolean usesDocumentRecords() throws SQLException {
        if (!documentRecords && table.hasDocumentsTable(connection)) {
            try (Statement statement = connection.createStatement();
                    ResultSet any = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table.documents + ")")) {
                documentRecords = any.next() && any.getBoolean(1);
            }
        }
        return documentRecords;
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * JSON numbers as LangChain4j metadata types: jsonb keeps only the number, so whole numbers come back as
     * Integer or Long (Double beyond that) and decimals as Double.
     */
    private static Map<String, Object> metadataTypes(Map<String, Object> json) {
        json.replaceAll((key, value) -> {
            if (value instanceof BigInteger big) {
                return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
            }
            if (value instanceof BigDecimal decimal) {
                return decimal.doubleValue();
            }
            return value;
        });
        return json;
    }

    /** LangChain4j's relevance score for the table's distance. */
    private double score(double distance) {
        return switch (options.distance()) {
            case COSINE -> 1 - distance / 2;
            case L2 -> 1 / (1 + distance);
            case INNER_PRODUCT -> (1 - distance) / 2; // pgvector's <#> is the negated inner product
        };
    }

    private void write(List<VectorOperation> operations) {
        try {
            writer.apply(operations);
        } catch (SQLException e) {
            throw unchecked("writing to", options, e);
        }
    }

    private void execute(String sql, List<Object> parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw unchecked("writing to", options, e);
        }
    }

    private static IllegalStateException unchecked(String action, PgVectorOptions options, SQLException e) {
        return new IllegalStateException(action + " pgvector table " + options.table() + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        writer.close();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}
