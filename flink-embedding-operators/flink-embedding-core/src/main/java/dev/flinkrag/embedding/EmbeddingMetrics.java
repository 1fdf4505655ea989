package dev.flinkrag.embedding;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedding operator's metrics, in the group {@code embedding} of its operator:
 * modelCalls (requests sent, retries included), textsEmbedded, tokens (sent, as the model's tokenizer counts
 * them or estimated), batchSize and callMillis (histograms), retries, rejected (records sent to the
 * dead-letter output), truncated, passedThrough (records without text), cacheHits, cacheMisses,
 * cacheEntries, inFlightRecords.
 */
final class EmbeddingMetrics {

    final Counter modelCalls;
    final Counter textsEmbedded;
    final Counter tokens;
    final Histogram batchSize;
    final Histogram callMillis;
    final Counter retries;
    final Counter rejected;
    final Counter truncated;
    final Counter passedThrough;
    final Counter cacheHits;
    final Counter cacheMisses;
    final AtomicInteger inFlightRecords = new AtomicInteger();
    private final MetricGroup group;

    EmbeddingMetrics(MetricGroup operatorGroup) {
        group = operatorGroup.addGroup("embedding");
        modelCalls = group.counter("modelCalls");
        textsEmbedded = group.counter("textsEmbedded");
        tokens = group.counter("tokens");
        batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        callMillis = group.histogram("callMillis", new DescriptiveStatisticsHistogram(1000));
        retries = group.counter("retries");
        rejected = group.counter("rejected");
        truncated = group.counter("truncated");
        passedThrough = group.counter("passedThrough");
        cacheHits = group.counter("cacheHits");
        cacheMisses = group.counter("cacheMisses");
        group.gauge("inFlightRecords", inFlightRecords::get);
    }

    /** The figures an operator's progress line shows. */
    String progressLine() {
        return "texts embedded " + textsEmbedded.getCount() + " in " + modelCalls.getCount() + " model calls ("
                + retries.getCount() + " retried), from cache " + cacheHits.getCount() + ", refused " + rejected.getCount()
                + ", truncated " + truncated.getCount() + ", in flight " + inFlightRecords.get();
    }

    void registerCache(EmbeddingCache cache) {
        group.gauge("cacheEntries", cache::estimatedSize);
    }
}
