package dev.flinkrag.serving;

import dev.flinkrag.serving.retrieval.Retriever;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/** The server's options: where it listens, who may call it, and the limits of one request. */
@PublicEvolving
public final class ServingOptions {

    public static final ConfigOption<String> HOST = ConfigOptions.key("server.host")
            .stringType()
            .defaultValue("127.0.0.1")
            .withDescription("Address to listen on. Only this machine can connect by default; set 0.0.0.0 (with "
                    + "auth.token-env) to serve other hosts.");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("server.port")
            .intType()
            .defaultValue(8000)
            .withDescription("Port to listen on (Pathway's default); 0 picks a free one.");

    public static final ConfigOption<MemorySize> MAX_REQUEST_SIZE = ConfigOptions.key("server.max-request-size")
            .memoryType()
            .defaultValue(MemorySize.parse("64kb"))
            .withDescription("Largest request body accepted; larger ones get 413.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("server.request-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A request not answered in this time gets 503 (answers included: the chat model's own "
                    + "timeout should be shorter).");

    public static final ConfigOption<Integer> WORKERS = ConfigOptions.key("server.workers")
            .intType()
            .defaultValue(16)
            .withDescription("Requests worked on at once; as many more wait, further ones get 503 at once.");

    public static final ConfigOption<List<String>> CORS_ORIGINS = ConfigOptions.key("server.cors-origins")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Origins (scheme://host:port, ';'-separated) whose pages may call the API from a browser. "
                    + "CORS is off when unset.");

    public static final ConfigOption<String> AUTH_TOKEN_ENV = ConfigOptions.key("auth.token-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Name of the environment variable holding a bearer token with access to everything. "
                    + "With this or auth.tenant-tokens-env set, every API request needs 'Authorization: Bearer <token>'.");

    public static final ConfigOption<String> AUTH_TENANT_TOKENS_ENV = ConfigOptions.key("auth.tenant-tokens-env")
            .stringType()
            .noDefaultValue()
            .withDescription("Name of the environment variable holding 'tenant=token' pairs (comma- or line-separated). "
                    + "A tenant's caller sees only documents whose auth.tenant-field equals the tenant.");

    public static final ConfigOption<String> AUTH_TENANT_FIELD = ConfigOptions.key("auth.tenant-field")
            .stringType()
            .defaultValue("tenant")
            .withDescription("Document metadata field holding a document's tenant.");

    public static final ConfigOption<Integer> MAX_K = ConfigOptions.key("retrieval.max-k")
            .intType()
            .defaultValue(100)
            .withDescription("Largest 'k' a request may ask for.");

    public static final ConfigOption<Integer> DEFAULT_K = ConfigOptions.key("retrieval.default-k")
            .intType()
            .defaultValue(3)
            .withDescription("'k' of a request that gives none (Pathway requires it; this server does not).");

    public static final ConfigOption<Retriever.Mode> RETRIEVAL_MODE = ConfigOptions.key("retrieval.mode")
            .enumType(Retriever.Mode.class)
            .defaultValue(Retriever.Mode.VECTOR)
            .withDescription("How requests without 'mode' rank chunks: VECTOR, or HYBRID (BM25 and vectors fused).");

    public static final ConfigOption<Integer> ANSWER_CONTEXT_CHUNKS = ConfigOptions.key("answer.context-chunks")
            .intType()
            .defaultValue(5)
            .withDescription("Chunks retrieved as the context of one /v2/answer.");

    public static final ConfigOption<Integer> MAX_LISTED_DOCUMENTS = ConfigOptions.key("listing.max-documents")
            .intType()
            .defaultValue(10_000)
            .withDescription("Most documents /v1/inputs and /v2/list_documents return.");

    public static final ConfigOption<String> MODIFIED_AT_FIELD = ConfigOptions.key("statistics.modified-at-field")
            .stringType()
            .defaultValue("modified_at")
            .withDescription("Document metadata field whose newest value is /v1/statistics' last_modified (UNIX "
                    + "seconds, ISO-8601 text or epoch numbers).");

    public static final List<ConfigOption<?>> OPTIONS = List.of(HOST, PORT, MAX_REQUEST_SIZE, REQUEST_TIMEOUT, WORKERS,
            CORS_ORIGINS, AUTH_TOKEN_ENV, AUTH_TENANT_TOKENS_ENV, AUTH_TENANT_FIELD, MAX_K, DEFAULT_K, RETRIEVAL_MODE,
            ANSWER_CONTEXT_CHUNKS, MAX_LISTED_DOCUMENTS, MODIFIED_AT_FIELD);

    private ServingOptions() {}
}
