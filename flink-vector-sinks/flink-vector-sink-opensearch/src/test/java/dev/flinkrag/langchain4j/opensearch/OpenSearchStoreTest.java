package dev.flinkrag.langchain4j.opensearch;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenSearchStoreTest extends RemoteStoreContract {

    @Override
    protected EmbeddingStoreProvider provider(int closedPort) throws IOException {
        return OpenSearchStore.builder().serverUrl(localUrl(closedPort)).user("admin", Secret.of(KEY)).index("chunks").build();
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> OpenSearchStore.builder().index("i").build()).hasMessageContaining(".serverUrl(…)");
    }
}
