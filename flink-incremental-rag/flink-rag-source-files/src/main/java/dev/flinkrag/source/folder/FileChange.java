package dev.flinkrag.source.folder;

import javax.annotation.Nullable;

/**
 * One observed change of one file.
 *
 * @param path path relative to the watched folder, with '/' separators; it is the document id
 * @param version the change's version (increases for every change the source observes)
 * @param deleted whether the file disappeared
 * @param detectedAt when the scan saw the change (epoch ms)
 * @param lastReadContent the hash of the content the file had when it was last read, if known and no other change of
 *     it was under way; the reader emits nothing for content with that hash where the metadata cannot differ either
 */
record FileChange(
        String path, long version, boolean deleted, long detectedAt, @Nullable ContentHash lastReadContent) {

    FileChange(String path, long version, boolean deleted, long detectedAt) {
        this(path, version, deleted, detectedAt, null);
    }
}
