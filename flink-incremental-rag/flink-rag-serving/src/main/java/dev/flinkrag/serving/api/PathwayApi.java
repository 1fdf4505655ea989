package dev.flinkrag.serving.api;

import dev.flinkrag.serving.ServingOptions;
import dev.flinkrag.serving.answer.Answer;
import dev.flinkrag.serving.answer.Answerer;
import dev.flinkrag.serving.filter.InvalidFilterException;
import dev.flinkrag.serving.filter.PathwayFilterParser;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.retrieval.RetrievedChunk;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;
import dev.flinkrag.serving.status.PipelineStatus;
import dev.flinkrag.sink.DocumentListing;
import dev.flinkrag.sink.DocumentStatistics;
import dev.flinkrag.sink.IndexState;
import dev.flinkrag.sink.IndexedDocument;
import dev.flinkrag.sink.IndexedModel;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.logical.And;

import org.apache.flink.annotation.Internal;

import org.apache.flink.configuration.Configuration;

import com.fasterxml.jackson.databind.node.TextNode;

import javax.annotation.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of Pathway's {@code DocumentStoreServer} and {@code QARestServer}, field for field, so that clients
 * written for Pathway work unchanged; our extras ({@code id}, {@code score}, chunk counts) are additional fields.
 * Every route answers GET and POST (see {@link RequestFields}).
 */
@Internal
public final class PathwayApi {

    /** The field of a chunk's metadata that {@code filepath_globpattern} matches, as in Pathway. */
    static final String PATH_FIELD = "path";

    private final Retriever retriever;
    private final AccessControl access;
    private final int defaultK;
    private final int maxK;
    private final Retriever.Mode defaultMode;
    private final int maxListed;
    private final int contextChunks;
    private final Answerer answerer;
    private final String modifiedAtField;
    private final Optional<PipelineStatus> pipeline;

    public PathwayApi(Retriever retriever, AccessControl access, Answerer answerer, Configuration options) {
        this.retriever = retriever;
        this.access = access;
        this.answerer = answerer;
        this.defaultK = options.get(ServingOptions.DEFAULT_K);
        this.maxK = options.get(ServingOptions.MAX_K);
        this.defaultMode = options.get(ServingOptions.RETRIEVAL_MODE);
        this.maxListed = options.get(ServingOptions.MAX_LISTED_DOCUMENTS);
        this.contextChunks = options.get(ServingOptions.ANSWER_CONTEXT_CHUNKS);
        this.modifiedAtField = options.get(ServingOptions.MODIFIED_AT_FIELD);
        this.pipeline = PipelineStatus.fromOptions(options);
    }

    /** The routes and their handlers, for the server to register under GET and POST. */
    public Map<String, Route> routes() {
        Map<String, Route> routes = new LinkedHashMap<>();
        routes.put("/v1/retrieve", this::retrieve);
        routes.put("/v1/statistics", this::statistics);
        routes.put("/v1/inputs", this::inputs);
        routes.put("/v2/list_documents", this::inputs);
        routes.put("/v1/pw_list_documents", this::inputs);
        routes.put("/v2/answer", this::answer);
        routes.put("/v1/pw_ai_answer", this::answer);
        routes.put("/v2/summarize", this::summarize);
        return routes;
    }

    /** One route: the caller it was authenticated as and the request's fields in, a JSON-serialisable value out. */
    @FunctionalInterface
    public interface Route {
        Object handle(AccessControl.Caller caller, RequestFields fields);
    }

    private List<Map<String, Object>> retrieve(AccessControl.Caller caller, RequestFields fields) {
        String query = fields.requiredString("query");
        int k = fields.integer("k", defaultK, 1, maxK);
        Retriever.Mode mode = mode(fields.optionalString("mode"));
        Filter filter = access.scope(caller, requestedFilter(fields));
        ServedIndex index = retriever.index();
        if (mode == Retriever.Mode.HYBRID && !index.supportsHybrid()) {
            throw ApiException.badRequest("field 'mode' is 'hybrid', which " + index.name() + " does not support");
        }
        return retrieved(retriever.retrieve(query, k, filter, mode));
    }

    private static List<Map<String, Object>> retrieved(List<RetrievedChunk> chunks) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (RetrievedChunk chunk : chunks) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("text", chunk.text());
            result.put("metadata", chunk.metadata());
            result.put("dist", chunk.dist());
            result.put("id", chunk.id());
            result.put("score", chunk.score());
            results.add(result);
        }
        return results;
    }

    /** QARestServer's answer: {@code response}, our {@code sources}, and {@code context_docs} when asked. */
    private Map<String, Object> answer(AccessControl.Caller caller, RequestFields fields) {
        String prompt = fields.requiredString("prompt");
        String filters = fields.optionalString("filters");
        String model = fields.optionalString("model");
        boolean withContext = fields.bool("return_context_docs", false);
        Filter requested;
        try {
            requested = filters == null || filters.isBlank() ? null : PathwayFilterParser.parse(filters);
        } catch (InvalidFilterException e) {
            throw ApiException.badRequest("field 'filters': " + e.getMessage());
        }
        Filter filter = access.scope(caller, requested);
        Answer answer = answerer.answer(prompt, retriever.retrieve(prompt, contextChunks, filter, defaultMode), model);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("response", answer.response());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (RetrievedChunk source : answer.sources()) {
            Map<String, Object> cited = new LinkedHashMap<>();
            cited.put("id", source.id());
            cited.put("doc_id", source.metadata().get("doc_id"));
            cited.put("path", source.metadata().get(PATH_FIELD));
            sources.add(cited);
        }
        response.put("sources", sources);
        if (withContext) {
            response.put("context_docs", retrieved(answer.context()));
        }
        return response;
    }

    /** The summary as a JSON string (Javalin would write a plain {@code String} unquoted). */
    private TextNode summarize(AccessControl.Caller caller, RequestFields fields) {
        List<String> texts = fields.stringList("text_list");
        return TextNode.valueOf(answerer.summarize(texts, fields.optionalString("model")));
    }

    private Map<String, Object> statistics(AccessControl.Caller caller, RequestFields fields) {
        DocumentListing listing = listing();
        DocumentStatistics statistics = listing.statistics(access.scope(caller, null), modifiedAtField);
        Optional<IndexState> state = retriever.index().indexState();
        long lastFlush = state.map(IndexState::lastFlushMillis).orElse(0L);
        long newestSource = state.map(IndexState::newestSourceMillis).orElse(0L);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("file_count", statistics.documents());
        response.put("last_modified", unixSeconds(statistics.latest()));
        response.put("last_indexed", lastFlush > 0 ? lastFlush / 1000 : null);
        response.put("chunk_count", statistics.entries());
        response.put("last_change_seen", newestSource > 0 ? newestSource / 1000 : null);
        response.put("freshness_lag_ms", state.map(IndexState::lastFlushLagMillis).orElse(null));
        response.put("model", state.map(IndexState::model).map(IndexedModel::id).orElse(null));
        response.put("index", retriever.index().name());
        if (caller.tenant() == null) {
            // job-wide figures: a tenant's caller would learn of other tenants' documents
            pipeline.ifPresent(status -> response.put("pipeline", status.asMap()));
        }
        return response;
    }

    private List<Map<String, Object>> inputs(AccessControl.Caller caller, RequestFields fields) {
        boolean withStatus = fields.bool("return_status", false);
        Filter filter = access.scope(caller, requestedFilter(fields));
        List<Map<String, Object>> documents = new ArrayList<>();
        for (IndexedDocument document : listing().documents(filter, maxListed)) {
            Map<String, Object> metadata = new LinkedHashMap<>(document.metadata());
            if (withStatus) {
                metadata.put("_indexing_status", document.entries() > 0 ? "INDEXED" : "INGESTED");
            }
            documents.add(metadata);
        }
        return documents;
    }

    /** {@code metadata_filter} and {@code filepath_globpattern}, combined as Pathway combines them. */
    @Nullable
    Filter requestedFilter(RequestFields fields) {
        String expression = fields.optionalString("metadata_filter");
        String glob = fields.optionalString("filepath_globpattern");
        Filter filter = expression == null || expression.isBlank() ? null : PathwayFilterParser.parse(expression);
        if (glob != null && !glob.isEmpty()) {
            Filter byPath = PathwayFilterParser.glob(PATH_FIELD, glob);
            filter = filter == null ? byPath : new And(filter, byPath);
        }
        return filter;
    }

    private DocumentListing listing() {
        return retriever.index().listing().orElseThrow(() ->
                new ApiException(501, retriever.index().name() + " keeps no document records, so it cannot list documents"));
    }

    private Retriever.Mode mode(@Nullable String mode) {
        if (mode == null) {
            return defaultMode;
        }
        try {
            return Retriever.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'mode' must be 'vector' or 'hybrid', was '" + mode + "'");
        }
    }

    /** A metadata time as UNIX seconds: ISO-8601 text, or epoch seconds or milliseconds as a number. */
    @Nullable
    static Long unixSeconds(@Nullable Object time) {
        if (time instanceof Number number) {
            long value = number.longValue();
            return value > 100_000_000_000L ? value / 1000 : value;
        }
        if (time instanceof String text) {
            try {
                return Instant.parse(text).getEpochSecond();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
