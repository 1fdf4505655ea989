package dev.flinkrag.langchain4j.pinecone;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;

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
}
