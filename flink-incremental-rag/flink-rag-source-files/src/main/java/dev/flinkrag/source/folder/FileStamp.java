package dev.flinkrag.source.folder;

/** What a scan sees of a file: enough to notice a change without reading it. */
record FileStamp(long size, long modifiedMillis) {}
