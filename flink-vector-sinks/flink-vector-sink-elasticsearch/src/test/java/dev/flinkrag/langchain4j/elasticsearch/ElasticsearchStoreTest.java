package dev.flinkrag.langchain4j.elasticsearch;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElasticsearchStoreTest extends RemoteStoreContract {

    @Override
    protected EmbeddingStoreProvider provider(int closedPort) throws IOException {
        return ElasticsearchStore.builder().serverUrl(localUrl(closedPort)).apiKey(Secret.of(KEY)).index("chunks").build();
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> ElasticsearchStore.builder().serverUrl("http://e").build()).hasMessageContaining(".index(…)");
    }

    @Test
    void stringOptionsBuildTheSameStoreAndNameWhatIsMissing() {
        assertThat(ElasticsearchStore.fromOptions(Map.of("server-url", "http://e:9200", "user", "elastic", "password-env", "ES_PASSWORD", "index", "chunks")).toString()).isEqualTo(ElasticsearchStore.builder().serverUrl("http://e:9200").user("elastic", Secret.fromEnvironment("ES_PASSWORD")).index("chunks").build().toString());
        assertThatThrownBy(() -> ElasticsearchStore.fromOptions(Map.of("server-url", "http://e")))
                .hasMessage("option 'index' is required");
        assertThatThrownBy(() -> ElasticsearchStore.fromOptions(Map.of("server-url", "http://e", "colection", "x")))
                .hasMessageContaining("unknown option 'colection'");
    }
}
