package dev.flinkrag.parsing;

import org.apache.flink.configuration.MemorySize;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParsingOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ParsingOptions defaults = ParsingOptions.defaults();
        assertThat(defaults.maxDocumentBytes()).isEqualTo(64L << 20);
        assertThat(defaults.maxTextLength()).isEqualTo(10_000_000);
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxConcurrentDocuments()).isEqualTo(4);
        assertThat(defaults.skips("anything")).isFalse();
    }

    @Test
    void stringOptionsAndTheBuilderSayTheSame() {
        ParsingOptions fromStrings = ParsingOptions.fromOptions(Map.of(
                "parsing.max-document-size", "8 mb", "parsing.max-text-length", "1000", "parsing.timeout", "5 s",
                "parsing.max-concurrent-documents", "2", "parsing.skip-documents", "a.md;b.md",
                "embedding.batch.max-size", "8"));
        ParsingOptions built = ParsingOptions.builder().maxDocumentSize(MemorySize.parse("8mb")).maxTextLength(1000)
                .timeout(Duration.ofSeconds(5)).maxConcurrentDocuments(2).skipDocuments("a.md", "b.md").build();
        for (ParsingOptions options : new ParsingOptions[] {fromStrings, built}) {
            assertThat(options.maxDocumentBytes()).isEqualTo(8L << 20);
            assertThat(options.maxTextLength()).isEqualTo(1000);
            assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(options.maxConcurrentDocuments()).isEqualTo(2);
            assertThat(options.skips("a.md")).isTrue();
            assertThat(options.skips("b.md")).isTrue();
            assertThat(options.skips("c.md")).isFalse();
        }
    }

    @Test
    void unknownAndNonPositiveOptionsAreRefusedNamingThem() {
        assertThatThrownBy(() -> ParsingOptions.fromOptions(Map.of("parsing.timout", "5 s")))
                .hasMessageContaining("unknown option 'parsing.timout'");
        assertThatThrownBy(() -> ParsingOptions.builder().maxTextLength(0).build())
                .hasMessage("ParsingOptions.builder().maxTextLength(…) must be at least 1, was 0");
        assertThatThrownBy(() -> ParsingOptions.fromOptions(Map.of("parsing.max-text-length", "0")))
                .hasMessage("option 'parsing.max-text-length' must be at least 1, was '0'");
    }
}
