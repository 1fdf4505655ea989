package dev.flinkrag.sink;

import org.apache.flink.annotation.Experimental;

import java.util.List;

/**
 * One vector store as the buffered writer sees it: it applies one flush at a time.
 *
 * <p>Implementations hold the store's client or connection, opened inside the task.
 */
@Experimental
public interface VectorStoreWriter extends AutoCloseable {

    /**
     * Applies one flush, in one transaction where the store has them.
     *
     * @param operations at most one per id, each already collapsed from everything buffered for that id
     * @return how many metadata updates found no entry and were skipped (the insert of that entry went to a
     *     dead-letter output upstream)
     */
    int apply(List<VectorOperation> operations) throws Exception;

    /**
     * Applies one flush as {@link #apply(List)} does; a store that keeps an {@link IndexState} records {@code flush}
     * with it, in the same transaction.
     */
    default int apply(List<VectorOperation> operations, FlushContext flush) throws Exception {
        return apply(operations);
    }

    /**
     * Whether a failure of {@link #apply} is worth another try (a lost connection, a deadlock, a timeout); the
     * writer then calls {@code apply} again with the same operations, so a retry must not depend on the
     * failed attempt having done nothing.
     */
    default boolean isTransient(Throwable failure) {
        return false;
    }

    @Override
    default void close() throws Exception {}
}
