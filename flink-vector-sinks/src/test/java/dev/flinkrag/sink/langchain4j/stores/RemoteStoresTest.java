package dev.flinkrag.sink.langchain4j.stores;

import dev.flinkrag.sink.langchain4j.EmbeddingStoreProvider;

import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The ready-made store builders, with no server behind them (these servers cannot run here; Chroma's wire
 * protocol is tested end to end in {@code EmbeddingStoreWriterTest}): each survives Java serialization as a Flink
 * job ships it, never prints its secret, and links against this LangChain4j core — creating the store either
 * succeeds (clients that connect lazily) or fails for want of a server, never with a linkage error.
 */
class RemoteStoresTest {

    private static final String KEY = "sk-very-secret-key";

    static Stream<EmbeddingStoreProvider> providers() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String local = "http://127.0.0.1:" + closed;
        return Stream.of(
                QdrantStore.builder().host("127.0.0.1").port(closed).apiKey(Secret.of(KEY)).collection("chunks").build(),
                WeaviateStore.builder().scheme("http").host("127.0.0.1").port(closed).apiKey(Secret.of(KEY))
                        .objectClass("Chunk").metadataKeys(List.of("doc_id", "ordinal")).build(),
                MilvusStore.builder().uri(local).token(Secret.of(KEY)).collection("chunks").dimension(384).build(),
                PineconeStore.builder().apiKey(Secret.of(KEY)).index("chunks").build(),
                ChromaStore.builder().baseUrl(local).collection("chunks").timeout(Duration.ofSeconds(2)).build(),
                ElasticsearchStore.builder().serverUrl(local).apiKey(Secret.of(KEY)).index("chunks").build(),
                OpenSearchStore.builder().serverUrl(local).user("admin", Secret.of(KEY)).index("chunks").build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void linksAgainstThisLangChain4jAndNeverShowsItsSecret(EmbeddingStoreProvider provider) throws Exception {
        assertThat(provider.toString()).doesNotContain(KEY);
        EmbeddingStoreProvider shipped = InstantiationUtil.clone(provider);
        Throwable failure = null;
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), shipped::create);
        } catch (Throwable e) {
            failure = e;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(cause).as(provider + " failed with " + failure).isNotInstanceOf(LinkageError.class);
            assertThat(String.valueOf(cause.getMessage())).doesNotContain(KEY);
        }
        System.out.println(provider + ": " + (failure == null ? "created" : "failed: " + failure));
    }

    @Test
    void missingOptionsAreNamed() {
        assertThatThrownBy(() -> QdrantStore.builder().host("q").build()).hasMessageContaining("'collection'");
        assertThatThrownBy(() -> WeaviateStore.builder().host("w").objectClass("C").build())
                .hasMessageContaining("'metadataKeys'");
        assertThatThrownBy(() -> MilvusStore.builder().uri("http://m").collection("c").build())
                .hasMessageContaining("'dimension'");
        assertThatThrownBy(() -> PineconeStore.builder().index("i").build()).hasMessageContaining("'apiKey'");
        assertThatThrownBy(() -> ChromaStore.builder().collection("c").build()).hasMessageContaining("'baseUrl'");
        assertThatThrownBy(() -> ElasticsearchStore.builder().serverUrl("http://e").build())
                .hasMessageContaining("'index'");
        assertThatThrownBy(() -> OpenSearchStore.builder().index("i").build()).hasMessageContaining("'serverUrl'");
    }

    @Test
    void aSecretFromTheEnvironmentNamesTheVariableWhenUnset() {
        Secret secret = Secret.fromEnvironment("FLINK_RAG_TEST_UNSET_VARIABLE");
        assertThat(secret).hasToString("$FLINK_RAG_TEST_UNSET_VARIABLE");
        assertThatThrownBy(() -> secret.resolve("Qdrant apiKey"))
                .hasMessageContaining("FLINK_RAG_TEST_UNSET_VARIABLE").hasMessageContaining("Qdrant apiKey");
    }
}
