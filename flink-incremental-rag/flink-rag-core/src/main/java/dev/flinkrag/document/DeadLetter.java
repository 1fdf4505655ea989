package dev.flinkrag.document;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A record that could not be processed, with enough to find and fix it.
 *
 * @param docId the document concerned
 * @param version its version, or {@link #UNKNOWN_VERSION} where the stage does not know it
 * @param stage the pipeline stage that rejected it (for example {@code parse})
 * @param reason what is wrong, naming the field
 */
@PublicEvolving
public record DeadLetter(String docId, long version, String stage, String reason) {

    public static final long UNKNOWN_VERSION = -1;
}
