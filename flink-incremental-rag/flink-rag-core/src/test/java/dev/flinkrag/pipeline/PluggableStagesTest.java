package dev.flinkrag.pipeline;

import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.parsing.DocumentParsingFunction;
import dev.flinkrag.parsing.LangChain4jParser;
import dev.flinkrag.parsing.UnreadableDocumentException;
import dev.flinkrag.testing.HashingEmbeddingModel;

import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Any LangChain4j parser and splitter plug into the parsing and chunking stages. */
class PluggableStagesTest {

    @Test
    void aLangChain4jParserReadsRawDocumentsWithinTheTextLimit() throws Exception {
        LangChain4jParser parser = InstantiationUtil.clone(new LangChain4jParser(TextDocumentParser::new));
        DocumentChange raw = DocumentChange.upsertBytes("notes.log", 1,
                "Line one.\n\nLine two.".getBytes(StandardCharsets.UTF_8), "text/x-log", Map.of(), 0L);
        DocumentChange parsed = DocumentParsingFunction.parse(raw, 1_000, parser);
        assertThat(parsed.text()).isEqualTo("Line one.\n\nLine two.");
        assertThat(parsed.contentType()).isEqualTo("application/octet-stream");
        assertThatThrownBy(() -> DocumentParsingFunction.parse(raw, 5, parser))
                .isInstanceOf(UnreadableDocumentException.class).hasMessageContaining("longer than the limit of 5");
        DocumentChange blank = DocumentChange.upsertBytes("blank.log", 1, "  \n ".getBytes(StandardCharsets.UTF_8),
                "text/x-log", Map.of(), 0L);
        assertThatThrownBy(() -> DocumentParsingFunction.parse(blank, 1_000, parser))
                .hasMessageContaining("the document has no text");
    }

    @Test
    void aLangChain4jSplitterChunksWithStoreSafeTextAndNoLetterlessChunks() throws Exception {
        ChunkingOptions options = InstantiationUtil.clone(ChunkingOptions.splitter(
                () -> DocumentSplitters.recursive(24, 0, new HuggingFaceTokenCountEstimator())));
        assertThat(options.hasTokenizer()).isTrue();
        assertThat(options.forModel(HashingEmbeddingModel.modelProvider())).isSameAs(options);
        Function<String, List<String>> splitter = options.createSplitter();
        String text = "The first paragraph talks about rivers and the sea, at some length, so that it is long.\n\n"
                + "----\n\nThe second\u0000 one is about mountains, and it is long enough to be a chunk of its own.";
        // the control character is removed, the "----" paragraph is its own segment and has no letter: left out
        assertThat(splitter.apply(text)).containsExactly(
                "The first paragraph talks about rivers and the sea, at some length, so that it is long.",
                "The second one is about mountains, and it is long enough to be a chunk of its own.");
        assertThat(splitter.apply(" \n ")).isEmpty();
    }

    @Test
    void chunkingOptionsReadTheirKeyAndCheckTheModel() {
        assertThat(ChunkingOptions.fromOptions(Map.of("chunking.max-tokens", "64", "other", "x")).maxTokens())
                .isEqualTo(64);
        assertThatThrownBy(() -> ChunkingOptions.fromOptions(Map.of("chunking.max-token", "64")))
                .hasMessageContaining("unknown option 'chunking.max-token'");
        assertThatThrownBy(() -> ChunkingOptions.fromOptions(Map.of("chunking.max-tokens", "4")))
                .hasMessage("option 'chunking.max-tokens' must be at least 8, was '4'");
        assertThatThrownBy(() -> ChunkingOptions.editStable(4)).hasMessageContaining("must be at least 8");
        assertThat(ChunkingOptions.editStable(100).hasTokenizer()).isFalse();
        assertThat(ChunkingOptions.editStable(100).forModel(HashingEmbeddingModel.modelProvider()).hasTokenizer())
                .isTrue();
    }
}
