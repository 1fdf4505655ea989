package dev.flinkrag.source.folder;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One observed change of one file: the unit of work handed from the scanning enumerator to a reader.
 *
 * @param path path relative to the watched folder, with '/' separators; it is the document id
 * @param version the change's version (increases for every change the source observes)
 * @param deleted whether the file disappeared
 * @param detectedAt when the scan saw the change (epoch ms)
 */
public record FileChangeSplit(String path, long version, boolean deleted, long detectedAt) implements SourceSplit {

    @Override
    public String splitId() {
        return path + "@" + version;
    }
}
