package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

/**
 * What a store records about the index it holds, next to the entries and in the same transaction as each flush, so
 * a server in another process can tell which model to embed questions with and how fresh the index is.
 *
 * @param model the model the vectors come from, or {@code null} if the writer did not know it (a SQL vector table)
 * @param lastFlushMillis when the last flush was applied (epoch ms)
 * @param newestSourceMillis source time of the newest change applied (epoch ms, 0 if unknown): the last change seen
 * @param lastFlushLagMillis from the source time of the oldest change of the last flush to its application
 */
@PublicEvolving
public record IndexState(@Nullable IndexedModel model, long lastFlushMillis, long newestSourceMillis,
        long lastFlushLagMillis) {}
