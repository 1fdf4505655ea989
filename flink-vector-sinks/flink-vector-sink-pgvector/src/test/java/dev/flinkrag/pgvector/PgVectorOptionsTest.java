package dev.flinkrag.pgvector;

import dev.flinkrag.common.Secret;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table options of the sink and the store, from the builder and from SQL keys, checked before any connection. */
class PgVectorOptionsTest {

    private static PgVectorOptions.Builder valid() {
        return PgVectorOptions.builder().url("jdbc:postgresql://db/rag").username("rag").table("chunks");
    }

    @Test
    void defaultsAndTheBuilderAgreeWithTheSqlKeys() throws Exception {
        PgVectorOptions built = valid().password(Secret.of("s3cret")).dimension(384).build();
        PgVectorOptions read = PgVectorOptions.fromConfiguration(Configuration.fromMap(Map.of(
                "url", "jdbc:postgresql://db/rag", "username", "rag", "password", "s3cret", "table-name", "chunks",
                "dimension", "384")));
        for (PgVectorOptions options : new PgVectorOptions[] {built, read, InstantiationUtil.clone(built)}) {
            assertThat(options.idColumn()).isEqualTo("id");
            assertThat(options.vectorColumn()).isEqualTo("embedding");
            assertThat(options.documentField()).isEqualTo("doc_id");
            assertThat(options.hnswM()).isEqualTo(16);
            assertThat(options.maxMetadataBytes()).isEqualTo(1 << 20);
            assertThat(options.toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void aPipelineGivesTheDimensionToOptionsWithoutOne() {
        PgVectorOptions options = valid().build();
        assertThat(options.hasDimension()).isFalse();
        assertThatThrownBy(options::dimension).hasMessageContaining("dimension(…) (option 'dimension') is required");
        assertThat(options.withDimension(768).dimension()).isEqualTo(768);
        assertThat(valid().dimension(384).build().withDimension(768).dimension()).isEqualTo(384);
        assertThatThrownBy(() -> PgVectorSink.<String>builder().options(valid().dimension(384).build())
                .createSink(value -> null, 768)).hasMessageContaining("differs from the 768 dimensions");
    }

    @Test
    void badValuesNameTheSetter() {
        assertThatThrownBy(() -> PgVectorOptions.builder().username("rag").table("t").build())
                .hasMessage("PgVectorOptions.builder().url(…) must be a jdbc:postgresql: URL, was not set");
        assertThatThrownBy(() -> valid().hnswIndex(true, PgVectorDistance.L2, 16, 20).build())
                .hasMessageContaining("hnswIndex(…) must be at least 2 * hnsw.m");
        assertThatThrownBy(() -> valid().documentField("doc id").build())
                .hasMessageContaining("PgVectorOptions.builder().documentField(…)");
        assertThat(valid().documentField(null).build().documentField()).isNull();
    }
}
