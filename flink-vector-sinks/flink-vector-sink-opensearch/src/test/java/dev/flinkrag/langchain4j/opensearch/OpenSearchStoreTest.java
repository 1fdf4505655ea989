package dev.flinkrag.langchain4j.opensearch;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
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

    @Test
    void stringOptionsBuildTheSameStoreAndNameWhatIsMissing() {
        assertThat(OpenSearchStore.fromOptions(Map.of("server-url", "http://o:9200", "api-key", "k3y", "index", "chunks")).toString()).isEqualTo(OpenSearchStore.builder().serverUrl("http://o:9200").apiKey(Secret.of("k3y")).index("chunks").build().toString());
        assertThatThrownBy(() -> OpenSearchStore.fromOptions(Map.of("index", "i")))
                .hasMessage("option 'server-url' is required");
        assertThatThrownBy(() -> OpenSearchStore.fromOptions(Map.of("index", "i", "colection", "x")))
                .hasMessageContaining("unknown option 'colection'");
    }
}
