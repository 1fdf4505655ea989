package dev.flinkrag.langchain4j.chroma;

import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
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

    @Test
    void stringOptionsBuildTheSameStoreAndNameWhatIsMissing() {
        assertThat(ChromaStore.fromOptions(Map.of("base-url", "http://chroma:8000", "collection", "chunks", "timeout", "5 s")).toString()).isEqualTo(ChromaStore.builder().baseUrl("http://chroma:8000").collection("chunks").timeout(Duration.ofSeconds(5)).build().toString());
        assertThatThrownBy(() -> ChromaStore.fromOptions(Map.of("collection", "c")))
                .hasMessage("option 'base-url' is required");
        assertThatThrownBy(() -> ChromaStore.fromOptions(Map.of("collection", "c", "colection", "x")))
                .hasMessageContaining("unknown option 'colection'");
    }
}
