package dev.flinkrag.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operations waiting for the next flush, collapsed per id so that a flush applies at most one
 * operation per id and never an older one after a newer one.
 */
public final class OperationBuffer {

    private final Map<String, VectorOperation> pending = new LinkedHashMap<>();
    private long oldestSourceTimestamp = Long.MAX_VALUE;

    public void add(VectorOperation operation) {
        pending.merge(operation.id(), operation, (earlier, later) -> later.after(earlier));
        if (operation.sourceTimestamp() > 0) {
            oldestSourceTimestamp = Math.min(oldestSourceTimestamp, operation.sourceTimestamp());
        }
    }

    public int size() {
        return pending.size();
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Source time of the oldest buffered change, or 0 if unknown. */
    public long oldestSourceTimestamp() {
        return oldestSourceTimestamp == Long.MAX_VALUE ? 0 : oldestSourceTimestamp;
    }

    /** Hands out everything buffered and starts empty again. */
    public List<VectorOperation> drain() {
        List<VectorOperation> operations = new ArrayList<>(pending.values());
        pending.clear();
        oldestSourceTimestamp = Long.MAX_VALUE;
        return operations;
    }
}
