package dev.flinkrag.lucene;

import dev.flinkrag.sink.BufferedWriteOptions;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * Settings of the Lucene sink.
 *
 * @param indexPath directory of the index on the local disk of the task manager
 * @param write when the writer flushes (Lucene failures are not transient: retries do not apply)
 */
@PublicEvolving
public record LuceneSinkOptions(String indexPath, BufferedWriteOptions write) implements Serializable {}
