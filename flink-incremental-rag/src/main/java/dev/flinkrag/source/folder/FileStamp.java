package dev.flinkrag.source.folder;

/** What the source remembers of a file to notice a change without keeping its content. */
public record FileStamp(long size, long modifiedMillis) {}
