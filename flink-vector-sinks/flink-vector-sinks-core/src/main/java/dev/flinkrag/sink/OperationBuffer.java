package dev.flinkrag.sink;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Operations waiting for the next flush, collapsed so that a flush applies at most one operation per id and
 * one {@link VectorOperation.Kind#RETAIN_ONLY} per document, and never an older operation after a newer one.
 *
 * <p>A flush applies the document retains first, then the per-id operations ({@link #drain()} hands them out
 * in that order). To keep that equal to applying everything in arrival order, a retain rewrites what is
 * buffered before it: an entry it removes becomes a delete, and an entry an earlier operation moved out of
 * the document is kept out of the retain's reach.
 */
@Internal
public final class OperationBuffer {

    private final Map<String, VectorOperation> pending = new LinkedHashMap<>();
    private final Map<List<String>, VectorOperation> retains = new LinkedHashMap<>();
    private long oldestSourceTimestamp = Long.MAX_VALUE;
    private long newestSourceTimestamp;

    public void add(VectorOperation operation) {
        if (operation == null) {
            return; // the converter found nothing to write
        }
        if (operation.kind() == VectorOperation.Kind.RETAIN_ONLY) {
            addRetain(operation);
        } else {
            pending.merge(operation.id(), operation, (earlier, later) -> later.after(earlier));
        }
        if (operation.sourceTimestamp() > 0) {
            oldestSourceTimestamp = Math.min(oldestSourceTimestamp, operation.sourceTimestamp());
            newestSourceTimestamp = Math.max(newestSourceTimestamp, operation.sourceTimestamp());
        }
    }

    private void addRetain(VectorOperation retain) {
        String field = retain.documentField();
        Set<String> retained = new HashSet<>(retain.retainedIds());
        for (Map.Entry<String, VectorOperation> entry : pending.entrySet()) {
            VectorOperation earlier = entry.getValue();
            if (retained.contains(entry.getKey()) || earlier.kind() == VectorOperation.Kind.DELETE) {
                continue;
            }
            if (retain.id().equals(Objects.toString(earlier.metadata().get(field), null))) {
                // the buffered write puts the entry into the document, and the retain then removes it
                entry.setValue(VectorOperation.delete(earlier.id()).withSourceTimestamp(earlier.sourceTimestamp()));
            } else {
                // the buffered write takes the entry out of the document before the retain: the retain,
                // applied first, must not remove the stored entry the write then updates
                retained.add(entry.getKey());
            }
        }
        VectorOperation collapsed = retain.withRetainedIds(retained);
        // two retains in a row keep only what both keep (entries written in between are pending writes) and the
        // later document record
        retains.merge(List.of(field, retain.id()), collapsed, (earlier, later) -> {
            Set<String> both = new HashSet<>(earlier.retainedIds());
            both.retainAll(later.retainedIds());
            return later.withRetainedIds(both);
        });
    }

    public int size() {
        return pending.size() + retains.size();
    }

    public boolean isEmpty() {
        return pending.isEmpty() && retains.isEmpty();
    }

    /** Source time of the oldest buffered change, or 0 if unknown. */
    public long oldestSourceTimestamp() {
        return oldestSourceTimestamp == Long.MAX_VALUE ? 0 : oldestSourceTimestamp;
    }

    /** Source time of the newest buffered change, or 0 if unknown. */
    public long newestSourceTimestamp() {
        return newestSourceTimestamp;
    }

    /** Hands out everything buffered, document retains first, and starts empty again. */
    public List<VectorOperation> drain() {
        List<VectorOperation> operations = new ArrayList<>(retains.size() + pending.size());
        operations.addAll(retains.values());
        operations.addAll(pending.values());
        retains.clear();
        pending.clear();
        oldestSourceTimestamp = Long.MAX_VALUE;
        return operations;
    }
}
