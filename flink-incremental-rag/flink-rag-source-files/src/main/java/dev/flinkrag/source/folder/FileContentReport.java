package dev.flinkrag.source.folder;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Sent by a reader to the enumerator after a batch of changes: the content hash of each file it read, so the next
 * change of that file can be recognised as a rewrite of the same bytes.
 */
record FileContentReport(List<ReadFile> files) implements SourceEvent {

    private static final long serialVersionUID = 1L;

    record ReadFile(String path, long version, ContentHash contentHash) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }
}
