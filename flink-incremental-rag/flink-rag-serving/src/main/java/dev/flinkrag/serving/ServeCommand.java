package dev.flinkrag.serving;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.chat.ChatModelOptions;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.index.StoreOptions;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;
import dev.flinkrag.serving.status.PipelineStatus;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * {@code flink-rag serve}: serves an index a flink-rag job writes, from outside the job.
 *
 * <pre>
 * flink-rag serve --store lucene --path /data/index [--server.port 8000] [--model.provider …] [--auth.token-env VAR] …
 * flink-rag serve --store pgvector --url jdbc:postgresql://db/docs --username rag --password-env PGPASSWORD
 *     --table-name handbook [--server.host 0.0.0.0 --auth.token-env RAG_TOKEN] …
 * </pre>
 *
 * Every option is {@code --key value} with the key of its {@link ConfigOption}: the store's (as in SQL), the model's
 * ({@code model.*}, the in-process all-MiniLM-L6-v2-q by default: it must be the model the index was built with,
 * which the index records), the chat model's ({@code chat.*}, {@link ChatModelOptions}; none answers extractively),
 * the indexing job's Flink REST address ({@link PipelineStatus}) and {@link ServingOptions}. Secrets come from environment variables whose names the
 * options give, never from the command line.
 */
@PublicEvolving
public final class ServeCommand {

    static final String USAGE = String.join("\n",
            "usage: flink-rag serve --store lucene --path DIR [OPTIONS]",
            "       flink-rag serve --store pgvector --url JDBC_URL --username USER [--password-env VAR] --table-name TABLE"
                    + " [OPTIONS]",
            "options: --server.host, --server.port, --auth.token-env, --auth.tenant-tokens-env, --model.provider, "
                    + "--chat.provider, --chat.base-url, --chat.model, --pipeline.rest-url, … (docs/serving.md)");

    private ServeCommand() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "flink-rag-server-log4j2.properties");
        }
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try (Served served = start(options, System::getenv)) {
            System.out.println("[flink-rag] serving " + served.index().name() + " on http://"
                    + served.options().get(ServingOptions.HOST) + ":" + served.server().port() + "/v1/retrieve");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("[flink-rag] " + e.getMessage());
            System.exit(1);
        }
    }

    /** A running server with what it serves; closing it stops both. */
    public record Served(RagServer server, ServedIndex index, Configuration options) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
            index.close();
        }
    }

    /** Opens the index the options name, checks its model and starts serving it. */
    public static Served start(Map<String, String> options, Function<String, String> environment) {
        Configuration serving = Configuration.fromMap(StoreOptions.only(options, servingKeys()));
        EmbeddingModelProvider provider = StoreOptions.model(options);
        ServedIndex index = StoreOptions.open(options, provider, servingKeys());
        try {
            Retriever retriever = Retriever.open(index, provider);
            AccessControl access = accessControl(serving, environment);
            return new Served(RagServer.start(retriever, access, serving), index, serving);
        } catch (RuntimeException e) {
            try {
                index.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    static AccessControl accessControl(Configuration serving, Function<String, String> environment) {
        String unscoped = serving.getOptional(ServingOptions.AUTH_TOKEN_ENV)
                .map(name -> requireEnvironment(environment, name, ServingOptions.AUTH_TOKEN_ENV)).orElse(null);
        Map<String, String> tenants = serving.getOptional(ServingOptions.AUTH_TENANT_TOKENS_ENV)
                .map(name -> AccessControl.parseTenantTokens(
                        requireEnvironment(environment, name, ServingOptions.AUTH_TENANT_TOKENS_ENV)))
                .orElse(Map.of());
        if (unscoped == null && tenants.isEmpty()) {
            return AccessControl.open();
        }
        return AccessControl.withTokens(unscoped, tenants, serving.get(ServingOptions.AUTH_TENANT_FIELD));
    }

    private static String requireEnvironment(Function<String, String> environment, String name, ConfigOption<?> option) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " (option '" + option.key()
                    + "') is not set");
        }
        return value;
    }

    /** {@code --key value} pairs after the {@code serve} command. */
    static Map<String, String> parse(String[] args) {
        if (args.length == 0 || !args[0].equals("serve")) {
            throw new IllegalArgumentException("the first argument must be the command: serve");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || args[i].length() == 2) {
                throw new IllegalArgumentException("expected an option --key, got '" + args[i] + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            if (options.put(args[i].substring(2), args[++i]) != null) {
                throw new IllegalArgumentException("option " + args[i - 1] + " is given twice");
            }
        }
        return options;
    }

    /** The server's own options, the chat model's and the indexing job's address. */
    private static List<String> servingKeys() {
        List<String> keys = new ArrayList<>(StoreOptions.keys(ServingOptions.OPTIONS));
        keys.addAll(StoreOptions.keys(ChatModelOptions.ALL));
        keys.addAll(StoreOptions.keys(PipelineStatus.OPTIONS));
        return keys;
    }
}
