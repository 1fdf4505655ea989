package dev.flinkrag.source.folder;

/**
 * One observed change of one file.
 *
 * @param path path relative to the watched folder, with '/' separators; it is the document id
 * @param version the change's version (increases for every change the source observes)
 * @param deleted whether the file disappeared
 * @param detectedAt when the scan saw the change (epoch ms)
 */
public record FileChange(String path, long version, boolean deleted, long detectedAt) {}
