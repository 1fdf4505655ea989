package dev.flinkrag.retrieval;

import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.testing.HashingEmbeddingModel;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetrievalServerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final EmbeddingModel model = new HashingEmbeddingModel();
    private RetrievalServer server;
    private LuceneEmbeddingStore store;

    @TempDir
    Path temp;

    @BeforeEach
    void start() throws Exception {
        store = LuceneEmbeddingStore.open(temp);
        for (String text : new String[] {"alpha text", "beta text", "gamma text"}) {
            store.addAll(List.of(text), List.of(model.embed(text).content()),
                    List.of(TextSegment.from(text, new Metadata(Map.of("doc_id", text.split(" ")[0])))));
        }
        server = RetrievalServer.start(store, model, () -> Map.of("entries", 3), "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/retrieve"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getAndPostReturnTheNearestChunksWithTextMetadataAndScore() throws Exception {
        JsonNode viaGet = json.readTree(get("/v1/retrieve?query=beta+text&k=2").body());
        JsonNode viaPost = json.readTree(post("{\"query\": \"beta text\", \"k\": 2}").body());
        assertThat(viaGet).isEqualTo(viaPost).hasSize(2);
        assertThat(viaGet.get(0).get("id").asText()).isEqualTo("beta text");
        assertThat(viaGet.get(0).get("text").asText()).isEqualTo("beta text");
        assertThat(viaGet.get(0).at("/metadata/doc_id").asText()).isEqualTo("beta");
        assertThat(viaGet.get(0).get("score").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void badRequestsGet400NamingTheField() throws Exception {
        HttpResponse<String> noQuery = get("/v1/retrieve?k=2");
        assertThat(noQuery.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noQuery.body()).get("error").asText()).isEqualTo("field 'query' is required");

        HttpResponse<String> badK = get("/v1/retrieve?query=x&k=1000");
        assertThat(badK.statusCode()).isEqualTo(400);
        assertThat(badK.body()).contains("field 'k'");

        HttpResponse<String> badJson = post("{not json");
        assertThat(badJson.statusCode()).isEqualTo(400);
    }

    @Test
    void hybridModeFusesWordsAndVectors() throws Exception {
        JsonNode hybrid = json.readTree(get("/v1/retrieve?query=gamma&k=3&mode=hybrid").body());
        assertThat(hybrid).hasSize(3);
        assertThat(hybrid.get(0).get("id").asText()).as("the only entry with the word").isEqualTo("gamma text");
        HttpResponse<String> badMode = get("/v1/retrieve?query=x&mode=keyword");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.body()).contains("field 'mode'");
    }

    @Test
    void statisticsComeFromTheSupplier() throws Exception {
        assertThat(json.readTree(get("/v1/statistics").body()).get("entries").asInt()).isEqualTo(3);
    }
}
