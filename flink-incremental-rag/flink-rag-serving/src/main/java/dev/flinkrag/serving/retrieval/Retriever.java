package dev.flinkrag.serving.retrieval;

import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.sink.IndexedModel;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.filter.Filter;

import org.apache.flink.annotation.PublicEvolving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds a question with the index's model and searches the index, filtered inside the store. Embeddings of recent
 * questions are kept (a page refreshing the same query, or an agent asking again, costs no model call).
 */
@PublicEvolving
public final class Retriever {

    /** How a search ranks: by vector similarity, or by vector similarity and BM25 fused. */
    public enum Mode { VECTOR, HYBRID }

    private final ServedIndex index;
    private final EmbeddingModel model;
    private final Cache<String, Embedding> queryEmbeddings = Caffeine.newBuilder().maximumSize(10_000).build();

    /** A retriever with {@code model}, which the caller vouches is the one the index was built with. */
    public Retriever(ServedIndex index, EmbeddingModel model) {
        this.index = index;
        this.model = model;
    }

    /**
     * A retriever with the model {@code provider} creates, after checking that the index was built with it (the id and
     * dimension the index records); refuses another model, naming both.
     */
    public static Retriever open(ServedIndex index, EmbeddingModelProvider provider) {
        EmbeddingModel model = provider.create();
        int dimension = provider.dimension().orElseGet(model::dimension);
        index.requireModel(new IndexedModel(provider.modelId(), dimension));
        return new Retriever(index, model);
    }

    public ServedIndex index() {
        return index;
    }

    /** The {@code k} best chunks for {@code query} among those {@code filter} selects, best first. */
    public List<RetrievedChunk> retrieve(String query, int k, @Nullable Filter filter, Mode mode) {
        Embedding embedding = queryEmbeddings.get(query, text -> model.embed(text).content());
        boolean hybrid = mode == Mode.HYBRID;
        List<RetrievedChunk> chunks = new ArrayList<>();
        for (EmbeddingMatch<TextSegment> match : index.search(embedding, query, k, filter, hybrid)) {
            if (match.embedded() == null) {
                continue; // an entry written without text (through the EmbeddingStore API) has nothing to return
            }
            Map<String, Object> metadata = new LinkedHashMap<>(match.embedded().metadata().toMap());
            double score = match.score();
            chunks.add(new RetrievedChunk(match.embeddingId(), match.embedded().text(), metadata, score,
                    hybrid ? -score : 2 * (1 - score)));
        }
        return chunks;
    }
}
