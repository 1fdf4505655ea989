package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

/**
 * Figures of the documents a listing selects.
 *
 * @param documents how many documents
 * @param entries how many chunk entries they have in the store
 * @param latest the greatest value of the asked metadata field among them (for example the newest
 *     {@code modified_at}), or {@code null} if none has it
 */
@PublicEvolving
public record DocumentStatistics(long documents, long entries, @Nullable Object latest) {

    /** The greater of two metadata values: numbers by value, strings in code point order, either over nothing. */
    @Nullable
    public static Object greater(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) >= 0 ? a : b;
        }
        return a.toString().compareTo(b.toString()) >= 0 ? a : b;
    }
}
