package dev.flinkrag.langchain4j.milvus;

import dev.flinkrag.common.Secret;
import dev.flinkrag.langchain4j.EmbeddingStoreProvider;
import dev.flinkrag.langchain4j.RemoteStoreContract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MilvusStoreTest extends RemoteStoreContract {

    @Override
    protected EmbeddingStoreProvider provider(int closedPort) throws IOException {
        return MilvusStore.builder().uri(localUrl(closedPort)).token(Secret.of(KEY)).collection("chunks").dimension(384).build();
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> MilvusStore.builder().uri("http://m").collection("c").build()).hasMessageContaining(".dimension(…)");
    }

    @Test
    void stringOptionsBuildTheSameStoreAndNameWhatIsMissing() {
        assertThat(MilvusStore.fromOptions(Map.of("uri", "http://m:19530", "token", "t0k", "collection", "chunks", "dimension", "384")).toString()).isEqualTo(MilvusStore.builder().uri("http://m:19530").token(Secret.of("t0k")).collection("chunks").dimension(384).build().toString());
        assertThatThrownBy(() -> MilvusStore.fromOptions(Map.of("uri", "http://m", "collection", "c")))
                .hasMessage("option 'dimension' is required");
        assertThatThrownBy(() -> MilvusStore.fromOptions(Map.of("uri", "http://m", "collection", "c", "colection", "x")))
                .hasMessageContaining("unknown option 'colection'");
    }
}
