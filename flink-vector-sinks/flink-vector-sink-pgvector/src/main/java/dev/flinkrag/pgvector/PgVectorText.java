package dev.flinkrag.pgvector;

import org.apache.flink.annotation.Internal;

/** pgvector's text form of a vector, {@code [1,0.5,-2]}: what statements send and what the server prints. */
@Internal
public final class PgVectorText {

    private PgVectorText() {}

    /** Float.toString is the shortest text that reads back as the same float, so values round-trip exactly. */
    public static String format(float[] vector) {
        StringBuilder text = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(vector[i]);
        }
        return text.append(']').toString();
    }

    public static float[] parse(String text) {
        String[] values = text.substring(1, text.length() - 1).split(",");
        float[] vector = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            vector[i] = Float.parseFloat(values[i]);
        }
        return vector;
    }
}
