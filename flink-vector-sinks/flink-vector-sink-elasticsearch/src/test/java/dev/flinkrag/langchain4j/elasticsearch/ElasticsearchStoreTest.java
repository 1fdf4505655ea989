package dev.flinkrag.langchain4j.elasticsearch;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;

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
}
