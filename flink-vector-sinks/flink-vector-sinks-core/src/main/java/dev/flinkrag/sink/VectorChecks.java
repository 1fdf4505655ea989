package dev.flinkrag.sink;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** What every store requires of an operation; each check returns what is wrong, or {@code null}. */
@Internal
public final class VectorChecks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private VectorChecks() {}

    /** The vector of an upsert: {@code dimension} finite values. */
    @Nullable
    public static String vectorProblem(float[] vector, int dimension) {
        if (vector.length != dimension) {
            return "field 'vector' has " + vector.length + " dimensions, the store takes " + dimension;
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                return "field 'vector' has a non-finite value (" + vector[i] + ") at dimension " + i;
            }
        }
        return null;
    }

    /** Metadata values every store can keep (String, UUID, Integer, Long, Float, Double), at most {@code maxBytes} of JSON. */
    @Nullable
    public static String metadataProblem(Map<String, Object> metadata, int maxBytes) {
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            Object value = entry.getValue();
            if (!(value instanceof String || value instanceof UUID || value instanceof Integer || value instanceof Long
                    || value instanceof Float || value instanceof Double)) {
                return "metadata key '" + entry.getKey() + "' has unsupported type "
                        + (value == null ? "null" : value.getClass().getName())
                        + " (use String, UUID, Integer, Long, Float or Double)";
            }
        }
        int bytes = jsonBytes(metadata);
        return bytes > maxBytes ? "field 'metadata' is " + bytes + " bytes of JSON, more than " + maxBytes : null;
    }

    /** The operation's problem for a store of {@code dimension} taking {@code maxMetadataBytes}, or {@code null}. */
    @Nullable
    public static String problem(VectorOperation operation, int dimension, int maxMetadataBytes) {
        if (operation.kind() == VectorOperation.Kind.UPSERT) {
            String vector = vectorProblem(operation.vector(), dimension);
            if (vector != null) {
                return vector;
            }
        }
        if (operation.kind() == VectorOperation.Kind.UPSERT || operation.kind() == VectorOperation.Kind.UPDATE_METADATA) {
            return metadataProblem(operation.metadata(), maxMetadataBytes);
        }
        if (operation.document() != null) {
            return metadataProblem(operation.document().metadata(), maxMetadataBytes);
        }
        return null;
    }

    private static int jsonBytes(Map<String, Object> metadata) {
        try {
            return JSON.writeValueAsString(metadata).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }
}
