package dev.flinkrag.serving;

import dev.flinkrag.embedding.chat.ChatFailedException;
import dev.flinkrag.serving.answer.Answerer;
import dev.flinkrag.serving.answer.ModelNotServedException;
import dev.flinkrag.serving.api.ApiException;
import dev.flinkrag.serving.api.PathwayApi;
import dev.flinkrag.serving.api.RequestFields;
import dev.flinkrag.serving.filter.InvalidFilterException;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;
import dev.flinkrag.serving.security.NotAuthenticatedException;
import dev.flinkrag.serving.status.StatusPage;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP server in front of one index: Pathway's document-store routes ({@link PathwayApi}) on Javalin, JSON in
 * and out, every route under GET and POST, and the status page ({@link StatusPage}) at {@code /}.
 *
 * <p>Requests are worked on by a bounded pool, each within {@code server.request-timeout}; a full pool answers
 * 503 at once instead of queueing without end. Errors are {@code {"error": "..."}} with a message naming the field
 * at fault; an unexpected failure answers 500 with an error id that the log line carries, never a stack trace.
 * Access logs name method, route, status and time, never the query or a token.
 */
@PublicEvolving
public final class RagServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RagServer.class);

    private final ObjectMapper json = new ObjectMapper();
    private final AccessControl access;
    private final Duration timeout;
    private final ThreadPoolExecutor workers;
    private final Javalin app;

    private RagServer(Retriever retriever, AccessControl access, Configuration options) {
        this.access = access;
        this.timeout = options.get(ServingOptions.REQUEST_TIMEOUT);
        int threads = options.get(ServingOptions.WORKERS);
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(threads),
                runnable -> {
                    Thread thread = new Thread(runnable, "flink-rag-serving-worker");
                    thread.setDaemon(true);
                    return thread;
                });
        PathwayApi api = new PathwayApi(retriever, access, Answerer.fromOptions(options), options);
        List<String> origins = options.getOptional(ServingOptions.CORS_ORIGINS).orElse(List.of());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = options.get(ServingOptions.MAX_REQUEST_SIZE).getBytes();
            config.jsonMapper(new JavalinJackson(json, false));
            config.jetty.host = options.get(ServingOptions.HOST);
            config.jetty.port = options.get(ServingOptions.PORT);
            if (!origins.isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> origins.forEach(rule::allowHost)));
            }
            config.requestLogger.http((ctx, millis) -> LOG.info("{} {} {} {} ms", ctx.method(), ctx.path(),
                    ctx.statusCode(), Math.round(millis)));
            config.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
            for (Map.Entry<String, PathwayApi.Route> route : api.routes().entrySet()) {
                config.routes.addHttpHandler(HandlerType.GET, route.getKey(), ctx -> handle(ctx, route.getValue()));
                config.routes.addHttpHandler(HandlerType.POST, route.getKey(), ctx -> handle(ctx, route.getValue()));
            }
            StatusPage page = new StatusPage();
            for (String path : page.paths()) {
                config.routes.addHttpHandler(HandlerType.GET, path, page::serve);
            }
            config.routes.exception(Exception.class, (failure, ctx) -> respondWithError(ctx, failure));
            config.routes.error(404, ctx -> ctx.json(Map.of("error", "no route " + ctx.method() + " " + ctx.path())));
        });
    }

    /**
     * Starts serving; the address and port are the options' ({@code server.port} 0 picks a free port). Answers come
     * from the chat model the {@code chat.*} options describe, or extractively when they name none.
     */
    public static RagServer start(Retriever retriever, AccessControl access, Configuration options) {
        warnIfExposed(options.get(ServingOptions.HOST), access);
        RagServer server = new RagServer(retriever, access, options);
        server.app.start();
        LOG.info("Serving {} on http://{}:{}/ ({})", retriever.index().name(), options.get(ServingOptions.HOST),
                server.port(), access.requiresToken() ? "bearer token required" : "no authentication");
        return server;
    }

    public int port() {
        return app.port();
    }

    private void handle(Context ctx, PathwayApi.Route route) {
        AccessControl.Caller caller = access.authenticate(ctx.header("Authorization"));
        RequestFields fields = RequestFields.of(json, ctx.method() == HandlerType.POST ? ctx.body() : "",
                ctx.queryParamMap());
        ctx.future(() -> CompletableFuture.supplyAsync(() -> route.handle(caller, fields), workers)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, failure) -> {
                    if (failure == null) {
                        ctx.json(result);
                    } else {
                        respondWithError(ctx, failure);
                    }
                    return null;
                }));
    }

    private void respondWithError(Context ctx, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        int status;
        String message;
        if (cause instanceof ApiException api) {
            status = api.status();
            message = api.getMessage();
        } else if (cause instanceof InvalidFilterException filter) {
            status = 400;
            message = "field 'metadata_filter': " + filter.getMessage();
        } else if (cause instanceof ModelNotServedException model) {
            status = 400;
            message = "field 'model': " + model.getMessage();
        } else if (cause instanceof ChatFailedException chat) {
            // The upstream's reason goes to the log only: it may quote the prompt, which is the caller's business.
            LOG.warn("Request {} {}: {}", ctx.method(), ctx.path(), chat.getMessage());
            status = chat.transientFailure() ? 503 : 502;
            message = "the chat model failed after " + chat.attempts() + " attempt" + (chat.attempts() == 1 ? "" : "s")
                    + chat.status().stream().mapToObj(code -> " (HTTP " + code + ")").findFirst().orElse("")
                    + (chat.transientFailure() ? "; try again later" : "");
        } else if (cause instanceof NotAuthenticatedException unauthenticated) {
            status = 401;
            message = unauthenticated.getMessage();
            ctx.header("WWW-Authenticate", "Bearer");
        } else if (cause instanceof HttpResponseException http) {
            status = http.getStatus();
            message = http.getMessage();
        } else if (cause instanceof TimeoutException) {
            status = 503;
            message = "the request was not answered within " + timeout.toMillis() + " ms";
        } else if (cause instanceof RejectedExecutionException) {
            status = 503;
            message = "the server is busy; try again";
        } else {
            String id = UUID.randomUUID().toString();
            LOG.error("Request {} {} failed (error id {})", ctx.method(), ctx.path(), id, cause);
            status = 500;
            message = "internal error " + id + "; the server's log has the details";
        }
        ctx.status(status).json(Map.of("error", message));
    }

    private static void warnIfExposed(String host, AccessControl access) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress() && !access.requiresToken()) {
                LOG.warn("Serving on {} without authentication: anyone who reaches this address can read the index; "
                        + "set auth.token-env", host);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("option 'server.host' is '" + host + "', which does not resolve", e);
        }
    }

    @Override
    public void close() {
        app.stop();
        workers.shutdownNow();
    }
}
