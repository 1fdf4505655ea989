package dev.flinkrag.lucene;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One index and one model shared by LangChain4j's store contract suites. */
final class LuceneStoreContract {

    static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private LuceneStoreContract() {}

    static LuceneEmbeddingStore openTemporaryStore() {
        try {
            return LuceneEmbeddingStore.open(Files.createTempDirectory("lucene-store-contract"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
