package dev.flinkrag.serving;

import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.testutils.PostgresServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code flink-rag serve} from its string options, over the sample index in Lucene and in pgvector. */
class ServeCommandITCase {

    private static final String TOKEN = "serve-command-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void servesALuceneIndexWithATokenFromTheEnvironment() throws Exception {
        ServedStores.LUCENE.write(dir).close();
        Map<String, String> options = options("serve", "--store", "lucene", "--path", dir.resolve("index").toString(),
                "--server.port", "0", "--auth.token-env", "RAG_TOKEN");
        try (ServeCommand.Served served = ServeCommand.start(options, Map.of("RAG_TOKEN", TOKEN)::get)) {
            HttpTestClient client = new HttpTestClient(served.server().port());
            assertThat(client.post("/v1/retrieve", Map.of("query", "sourdough")).status()).isEqualTo(401);
            assertThat(client.withToken(TOKEN).post("/v1/retrieve", Map.of("query", "sourdough starter", "k", 1))
                    .json().get(0).get("metadata").get("doc_id").asText()).isEqualTo("kitchen/sourdough-starter.md");
        }
    }

    @Test
    void servesAPgVectorTable() throws Exception {
        String url = PostgresServer.get().createDatabase();
        ServedIndex written = ServedStores.writePgVector(url);
        written.close();
        Map<String, String> options = options("serve", "--store", "pgvector", "--url", url, "--username", "postgres",
                "--table-name", "docs", "--server.port", "0");
        try (ServeCommand.Served served = ServeCommand.start(options, Map.<String, String>of()::get)) {
            HttpTestClient client = new HttpTestClient(served.server().port());
            assertThat(client.post("/v1/statistics", Map.of()).json().get("file_count").asInt())
                    .isEqualTo(SampleIndex.documents().size());
        }
    }

    @Test
    void refusesAnotherModelThanTheIndexsNamingBoth() throws Exception {
        ServedStores.LUCENE.write(dir).close();
        Map<String, String> options = options("serve", "--store", "lucene", "--path", dir.resolve("index").toString(),
                "--server.port", "0", "--model.provider", "bge-small-en-v1.5-q");
        assertThatThrownBy(() -> ServeCommand.start(options, Map.<String, String>of()::get))
                .hasMessageContaining("holds vectors of model 'all-minilm-l6-v2-q' (384 dimensions), not of model "
                        + "'bge-small-en-v1.5-q' (384 dimensions)");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> ServeCommand.parse(new String[] {"run"}))
                .hasMessage("the first argument must be the command: serve");
        assertThatThrownBy(() -> ServeCommand.parse(new String[] {"serve", "--store"}))
                .hasMessage("option --store needs a value");
        assertThatThrownBy(() -> ServeCommand.start(options("serve"), Map.<String, String>of()::get))
                .hasMessage("option 'store' is required: lucene or pgvector");
        assertThatThrownBy(() -> ServeCommand.start(options("serve", "--store", "lucene", "--path", dir.toString(),
                "--table-name", "x"), Map.<String, String>of()::get))
                .hasMessageStartingWith("unknown option 'table-name' for store lucene; known: [");
        assertThatThrownBy(() -> ServeCommand.start(options("serve", "--store", "lucene", "--path",
                dir.resolve("missing").toString()), Map.<String, String>of()::get))
                .hasMessageEndingWith("which is not a directory");
        assertThatThrownBy(() -> ServeCommand.accessControl(org.apache.flink.configuration.Configuration.fromMap(
                Map.of("auth.token-env", "NOT_SET")), Map.<String, String>of()::get))
                .hasMessage("environment variable NOT_SET (option 'auth.token-env') is not set");
    }

    private static Map<String, String> options(String... args) {
        return new LinkedHashMap<>(ServeCommand.parse(args));
    }
}
