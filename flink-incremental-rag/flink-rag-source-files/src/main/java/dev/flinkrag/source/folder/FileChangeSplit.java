package dev.flinkrag.source.folder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

import java.util.List;

/**
 * A batch of file changes handed from the scanning enumerator to one reader, in the order they were found. Batches,
 * not one split per change: Flink keeps some state for every split a reader was given (a metric group stays
 * registered even after the split is released), so a split per change grew the heap with every file read.
 *
 * @param splitId unique: "changes-" and the first change's version
 * @param changes the changes still to read
 */
@Internal
public record FileChangeSplit(String splitId, List<FileChange> changes) implements SourceSplit {

    static FileChangeSplit of(List<FileChange> changes) {
        return new FileChangeSplit("changes-" + changes.get(0).version(), List.copyOf(changes));
    }

    /** Short: Flink formats every assignment's splits into a string, which for 500 changes each cost the enumerator. */
    @Override
    public String toString() {
        return "FileChangeSplit[" + splitId + ", " + changes.size() + " changes]";
    }
}
