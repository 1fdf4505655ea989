package dev.flinkrag.sink.pgvector;

/** One table per LangChain4j contract suite, in a fresh database of the test PostgreSQL. */
final class PgVectorStoreContract {

    private PgVectorStoreContract() {}

    static PgVectorEmbeddingStore openTemporaryStore() {
        String url = PostgresServer.get().createDatabase();
        return PgVectorEmbeddingStore.open(new PgVectorOptions(url, "postgres", null, null, "contract", 384, "id",
                "text", "metadata", "embedding", true, true, PgVectorDistance.COSINE, 16, 64, 1 << 20));
    }
}
