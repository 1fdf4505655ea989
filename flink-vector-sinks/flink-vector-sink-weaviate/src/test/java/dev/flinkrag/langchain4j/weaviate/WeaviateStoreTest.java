package dev.flinkrag.langchain4j.weaviate;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeaviateStoreTest extends RemoteStoreContract {

    @Override
    protected EmbeddingStoreProvider provider(int closedPort) throws IOException {
        return WeaviateStore.builder().scheme("http").host("127.0.0.1").port(closedPort).apiKey(Secret.of(KEY))
                .objectClass("Chunk").metadataKeys(List.of("doc_id", "ordinal")).build();
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> WeaviateStore.builder().host("w").objectClass("C").build()).hasMessageContaining(".metadataKeys(…)");
    }

    @Test
    void stringOptionsBuildTheSameStoreAndNameWhatIsMissing() {
        assertThat(WeaviateStore.fromOptions(Map.of("host", "w", "object-class", "Chunk", "metadata-keys", "doc_id;ordinal")).toString()).isEqualTo(WeaviateStore.builder().host("w").objectClass("Chunk").metadataKeys(List.of("doc_id", "ordinal")).build().toString());
        assertThatThrownBy(() -> WeaviateStore.fromOptions(Map.of("host", "w", "object-class", "C")))
                .hasMessage("option 'metadata-keys' is required");
        assertThatThrownBy(() -> WeaviateStore.fromOptions(Map.of("host", "w", "object-class", "C", "colection", "x")))
                .hasMessageContaining("unknown option 'colection'");
    }
}
