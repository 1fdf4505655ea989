package dev.flinkrag.testing;

import dev.flinkrag.sink.OperationBuffer;
import dev.flinkrag.sink.VectorOperation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random operations over a few ids and documents (metadata field {@value #DOCUMENT_FIELD}), so that every kind
 * meets every other kind on the same id and document many times.
 */
public final class RandomOperations {

    public static final String DOCUMENT_FIELD = "doc_id";

    /** Applies one flush to the store under test. */
    @FunctionalInterface
    public interface FlushTarget {
        void apply(List<VectorOperation> flush) throws Exception;
    }

    /** Reads the store under test back as id → text. */
    @FunctionalInterface
    public interface TextsReader {
        Map<String, String> read() throws Exception;
    }

    private RandomOperations() {}

    public static VectorOperation next(Random random, int step, int ids, int documents, int dimension) {
        String id = "e" + random.nextInt(ids);
        Map<String, Object> metadata = Map.of(DOCUMENT_FIELD, "d" + random.nextInt(documents), "step", step);
        return switch (random.nextInt(4)) {
            case 0 -> {
                float[] vector = new float[dimension];
                vector[0] = step + 1;
                vector[dimension - 1] = 1;
                yield VectorOperation.upsert(id, "text " + step, vector, metadata);
            }
            case 1 -> VectorOperation.updateMetadata(id, "text " + step, metadata);
            case 2 -> VectorOperation.delete(id);
            default -> {
                List<String> retained = new ArrayList<>();
                for (int e = 0; e < ids; e++) {
                    if (random.nextBoolean()) {
                        retained.add("e" + e);
                    }
                }
                yield VectorOperation.retainOnly(DOCUMENT_FIELD, "d" + random.nextInt(documents), retained);
            }
        };
    }

    /**
     * Sends {@code count} random operations through an {@link OperationBuffer} to a store, flushing at random
     * points, and checks after every flush that the store holds the texts of applying each operation in order.
     */
    public static void checkStore(long seed, int count, int dimension, FlushTarget store, TextsReader reader)
            throws Exception {
        Random random = new Random(seed);
        ReferenceStore reference = new ReferenceStore();
        OperationBuffer buffer = new OperationBuffer();
        List<VectorOperation> history = new ArrayList<>();
        for (int step = 0; step < count; step++) {
            VectorOperation operation = next(random, step, 6, 2, dimension);
            history.add(operation);
            reference.apply(operation);
            buffer.add(operation);
            if (random.nextInt(8) == 0 || step == count - 1) {
                store.apply(buffer.drain());
                Map<String, String> expected = new TreeMap<>();
                reference.entries().forEach((id, entry) -> expected.put(id, entry.text()));
                if (!expected.equals(new TreeMap<>(reader.read()))) {
                    throw new AssertionError("seed " + seed + ": store holds " + reader.read() + ", expected "
                            + expected + " after " + history);
                }
            }
        }
    }
}
