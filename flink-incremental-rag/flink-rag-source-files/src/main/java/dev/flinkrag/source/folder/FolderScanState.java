package dev.flinkrag.source.folder;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Map;

/**
 * The enumerator's checkpointed state: the files seen at the last scan, the next version to hand out
 * and the changes not yet assigned to a reader.
 */
@Internal
public record FolderScanState(Map<String, TrackedFile> files, long nextVersion, List<FileChange> unassigned) {}
