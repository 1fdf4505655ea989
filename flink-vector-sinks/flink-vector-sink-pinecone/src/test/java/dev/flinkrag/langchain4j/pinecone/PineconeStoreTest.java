package dev.flinkrag.langchain4j.pinecone;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PineconeStoreTest extends RemoteStoreContract {

    @Override
    protected EmbeddingStoreProvider provider(int closedPort) throws IOException {
        return PineconeStore.builder().apiKey(Secret.of(KEY)).index("chunks").build();
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> PineconeStore.builder().index("i").build()).hasMessageContaining(".apiKey(…)");
    }

    @Test
    void stringOptionsBuildTheSameStoreAndNameWhatIsMissing() {
        assertThat(PineconeStore.fromOptions(Map.of("api-key-env", "PINECONE_KEY", "index", "chunks", "namespace", "docs")).toString()).isEqualTo(PineconeStore.builder().apiKey(Secret.fromEnvironment("PINECONE_KEY")).index("chunks").namespace("docs").build().toString());
        assertThatThrownBy(() -> PineconeStore.fromOptions(Map.of("api-key", "k")))
                .hasMessage("option 'index' is required");
        assertThatThrownBy(() -> PineconeStore.fromOptions(Map.of("api-key", "k", "colection", "x")))
                .hasMessageContaining("unknown option 'colection'");
    }
}
