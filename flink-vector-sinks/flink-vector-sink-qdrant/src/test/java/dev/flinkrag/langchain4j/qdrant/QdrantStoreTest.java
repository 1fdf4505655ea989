package dev.flinkrag.langchain4j.qdrant;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QdrantStoreTest extends RemoteStoreContract {

    @Override
    protected EmbeddingStoreProvider provider(int closedPort) throws IOException {
        return QdrantStore.builder().host("127.0.0.1").port(closedPort).apiKey(Secret.of(KEY)).collection("chunks").build();
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> QdrantStore.builder().host("q").build()).hasMessageContaining(".collection(…)");
    }

    @Test
    void stringOptionsBuildTheSameStoreAndNameWhatIsMissing() {
        assertThat(QdrantStore.fromOptions(Map.of("host", "127.0.0.1", "port", "6335", "api-key-env", "QDRANT_KEY", "collection", "chunks")).toString()).isEqualTo(QdrantStore.builder().host("127.0.0.1").port(6335).apiKey(Secret.fromEnvironment("QDRANT_KEY")).collection("chunks").build().toString());
        assertThatThrownBy(() -> QdrantStore.fromOptions(Map.of("host", "h")))
                .hasMessage("option 'collection' is required");
        assertThatThrownBy(() -> QdrantStore.fromOptions(Map.of("host", "h", "colection", "x")))
                .hasMessageContaining("unknown option 'colection'");
    }
}
