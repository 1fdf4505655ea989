package dev.flinkrag.pgvector;

import dev.flinkrag.testutils.PostgresServer;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/** A fresh database and table per LangChain4j contract test, and the model the suites embed with. */
final class PgVectorStoreContract {

    static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private PgVectorStoreContract() {}

    static PgVectorEmbeddingStore openTemporaryStore() {
        String url = PostgresServer.get().createDatabase();
        return PgVectorEmbeddingStore.open(PgVectorOptions.builder().url(url).username("postgres").table("contract")
                .dimension(384).createTable(true).build());
    }
}
