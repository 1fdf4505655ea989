package dev.flinkrag.source.folder;

import javax.annotation.Nullable;

/**
 * What the enumerator remembers of a file between scans, never its content.
 *
 * @param size length in bytes at the last scan
 * @param modifiedMillis modification time at the last scan
 * @param lastChange version of the last change handed out for it (0 if unknown, after a restore of the first layout)
 * @param contentHash hash of the content a reader found for {@code lastChange}; null until that reader reports it
 */
record TrackedFile(long size, long modifiedMillis, long lastChange, @Nullable ContentHash contentHash) {

    boolean sameStamp(FileStamp stamp) {
        return size == stamp.size() && modifiedMillis == stamp.modifiedMillis();
    }
}
