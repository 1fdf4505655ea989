package dev.flinkrag.testing;

import dev.flinkrag.sink.VectorOperation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The meaning of {@link VectorOperation}s, written as plainly as possible: a map of entries that applies
 * one operation at a time. Tests compare real stores and buffering against it.
 */
public final class ReferenceStore {

    /** One stored entry. */
    public record Entry(String text, float[] vector, Map<String, Object> metadata) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Entry entry && Objects.equals(text, entry.text)
                    && Arrays.equals(vector, entry.vector) && metadata.equals(entry.metadata);
        }

        @Override
        public int hashCode() {
            return Objects.hash(text, Arrays.hashCode(vector), metadata);
        }

        @Override
        public String toString() {
            return text + " " + metadata;
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, VectorOperation.DocumentRecord> documents = new TreeMap<>();

    public void apply(VectorOperation operation) {
        switch (operation.kind()) {
            case UPSERT -> entries.put(operation.id(),
                    new Entry(operation.text(), operation.vector(), new HashMap<>(operation.metadata())));
            case UPDATE_METADATA -> entries.computeIfPresent(operation.id(),
                    (id, stored) -> new Entry(operation.text(), stored.vector(), new HashMap<>(operation.metadata())));
            case DELETE -> entries.remove(operation.id());
            case RETAIN_ONLY -> {
                entries.entrySet().removeIf(entry ->
                        operation.id().equals(Objects.toString(entry.getValue().metadata().get(operation.documentField()), null))
                                && !operation.retainedIds().contains(entry.getKey()));
                if (operation.document() == null) {
                    documents.remove(operation.id());
                } else {
                    documents.put(operation.id(), operation.document());
                }
            }
        }
    }

    public void applyAll(Iterable<VectorOperation> operations) {
        operations.forEach(this::apply);
    }

    public Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    /** The document records, by document id, for a store that keeps them. */
    public Map<String, VectorOperation.DocumentRecord> documents() {
        return Map.copyOf(documents);
    }
}
