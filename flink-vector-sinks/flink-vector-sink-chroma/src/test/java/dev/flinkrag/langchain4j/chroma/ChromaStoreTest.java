package dev.flinkrag.langchain4j.chroma;

import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChromaStoreTest extends RemoteStoreContract {

    @Override
    protected EmbeddingStoreProvider provider(int closedPort) throws IOException {
        return ChromaStore.builder().baseUrl(localUrl(closedPort)).collection("chunks").timeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> ChromaStore.builder().collection("c").build()).hasMessageContaining(".baseUrl(…)");
    }
}
