package dev.flinkrag.sink.lucene;

import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the Lucene sink.
 *
 * @param indexPath directory of the index on the local disk of the task manager
 * @param maxBufferedOperations operations (after collapsing per id) that trigger a flush
 * @param flushInterval the longest a change waits before it becomes searchable
 */
public record LuceneSinkOptions(String indexPath, int maxBufferedOperations, Duration flushInterval)
        implements Serializable {}
