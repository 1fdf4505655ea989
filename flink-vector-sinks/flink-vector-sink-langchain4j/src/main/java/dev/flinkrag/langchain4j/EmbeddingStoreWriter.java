package dev.flinkrag.langchain4j;

import dev.flinkrag.sink.VectorChecks;
import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorStoreWriter;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

/**
 * Applies a flush to any LangChain4j {@link EmbeddingStore} through its own API only: {@code removeAll(ids)}
 * for deletes and for the ids about to be written (stores differ in whether {@code addAll} with a known id
 * replaces or duplicates), then {@code addAll(ids, embeddings, segments)}. A metadata-only update needs the
 * stored vector, which the API cannot read by id: every entry also carries its id in the metadata key
 * {@value #ID_KEY}, and the vector is found with a filtered search on it. A document retain is a
 * {@code removeAll(filter)} on the document field and {@value #ID_KEY}; stores without it get a filtered search
 * for the document's entries and a {@code removeAll(ids)}.
 *
 * <p>Stores have no transactions: a failure between the removal and the addition leaves those ids missing
 * until the flush is retried or replayed after a restore, which writes them again.
 */
final class EmbeddingStoreWriter implements VectorStoreWriter {

    /** Metadata key holding each entry's id, so metadata-only updates can find the stored vector. */
    static final String ID_KEY = "flink_rag_id";
    /** The most entries of one document a search finds, for stores that cannot remove by filter. */
    static final int MAX_ENTRIES_PER_DOCUMENT = 10_000;

    private final EmbeddingStore<TextSegment> store;
    private final int dimension;
    private final String storeName;

    EmbeddingStoreWriter(EmbeddingStore<TextSegment> store, int dimension, String storeName) {
        this.store = store;
        this.dimension = dimension;
        this.storeName = storeName;
    }

    @Override
    public int apply(List<VectorOperation> operations) {
        // document retains come first in a flush, before the entry writes they must not undo
        for (VectorOperation operation : operations) {
            if (operation.kind() == VectorOperation.Kind.RETAIN_ONLY) {
                removeOthers(operation);
            }
        }
        int skipped = 0;
        Set<String> removals = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        List<Embedding> embeddings = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (VectorOperation operation : operations) {
            if (operation.kind() == VectorOperation.Kind.RETAIN_ONLY) {
                continue;
            }
            removals.add(operation.id());
            float[] vector = switch (operation.kind()) {
                case DELETE, RETAIN_ONLY -> null;
                case UPSERT -> checked(operation);
                case UPDATE_METADATA -> storedVector(operation.id());
            };
            if (operation.kind() == VectorOperation.Kind.UPDATE_METADATA && vector == null) {
                skipped++;
                removals.remove(operation.id());
                continue;
            }
            if (vector != null) {
                ids.add(operation.id());
                embeddings.add(Embedding.from(vector));
                segments.add(segmentOf(operation));
            }
        }
        if (!removals.isEmpty()) {
            try {
                store.removeAll(removals);
            } catch (UnsupportedFeatureException e) {
                // a store that cannot remove (Pinecone's LangChain4j module) replaces by id on add: only deletes need it
                Set<String> written = new HashSet<>(ids);
                List<String> deletes = removals.stream().filter(id -> !written.contains(id)).toList();
                if (!deletes.isEmpty()) {
                    throw cannotRemove(deletes, e);
                }
            }
        }
        if (!ids.isEmpty()) {
            store.addAll(ids, embeddings, segments);
        }
        return skipped;
    }

    private void removeOthers(VectorOperation retain) {
        Filter ofDocument = metadataKey(retain.documentField()).isEqualTo(retain.id());
        Filter filter = retain.retainedIds().isEmpty()
                ? ofDocument
                : ofDocument.and(metadataKey(ID_KEY).isNotIn(retain.retainedIds()));
        try {
            store.removeAll(filter);
        } catch (UnsupportedFeatureException e) {
            removeOthersFoundBySearch(retain, ofDocument);
        }
    }

    /** For stores that remove by id only: find the document's entries with a filtered search. */
    private void removeOthersFoundBySearch(VectorOperation retain, Filter ofDocument) {
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                        .queryEmbedding(Embedding.from(probe()))
                        .filter(ofDocument)
                        .maxResults(MAX_ENTRIES_PER_DOCUMENT)
                        .minScore(0.0)
                        .build())
                .matches();
        if (matches.size() >= MAX_ENTRIES_PER_DOCUMENT) {
            throw new IllegalStateException(storeName + " cannot remove by filter, and document " + retain.id()
                    + " has at least " + MAX_ENTRIES_PER_DOCUMENT + " entries, more than one search returns");
        }
        List<String> others = new ArrayList<>();
        for (EmbeddingMatch<TextSegment> match : matches) {
            if (!retain.retainedIds().contains(match.embeddingId())) {
                others.add(match.embeddingId());
            }
        }
        if (!others.isEmpty()) {
            try {
                store.removeAll(others);
            } catch (UnsupportedFeatureException e) {
                throw cannotRemove(others, e);
            }
        }
    }

    private UnsupportedOperationException cannotRemove(List<String> ids, Exception cause) {
        return new UnsupportedOperationException(storeName + " cannot remove entries (its LangChain4j store has no "
                + "removeAll), so it cannot apply deletes, the first being of id " + ids.get(0), cause);
    }

    private float[] probe() {
        float[] probe = new float[dimension];
        probe[0] = 1f; // any non-zero query: the filter alone picks the entries
        return probe;
    }

    private float[] checked(VectorOperation operation) {
        String problem = VectorChecks.vectorProblem(operation.vector(), dimension);
        if (problem != null) {
            throw new IllegalArgumentException("upsert of id " + operation.id() + " into " + storeName + ": " + problem);
        }
        return operation.vector();
    }

    private TextSegment segmentOf(VectorOperation operation) {
        if (operation.text() == null || operation.text().isBlank()) {
            throw new IllegalArgumentException("entry " + operation.id() + " for " + storeName
                    + " has no text; LangChain4j text segments need one");
        }
        Map<String, Object> metadata = new HashMap<>(operation.metadata());
        metadata.put(ID_KEY, operation.id());
        return TextSegment.from(operation.text(), Metadata.from(metadata));
    }

    /** The vector stored for {@code id}, or {@code null} when the store has no such entry. */
    private float[] storedVector(String id) {
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                        .queryEmbedding(Embedding.from(probe()))
                        .filter(metadataKey(ID_KEY).isEqualTo(id))
                        .maxResults(1)
                        .minScore(0.0)
                        .build())
                .matches();
        if (matches.isEmpty()) {
            return null;
        }
        if (matches.get(0).embedding() == null) {
            throw new UnsupportedOperationException(storeName + " returns no vectors with search results, which a "
                    + "metadata-only update of id " + id + " needs to keep the stored vector");
        }
        return matches.get(0).embedding().vector();
    }

    @Override
    public boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException || cause instanceof IOException
                    || cause instanceof UncheckedIOException || cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
