package dev.flinkrag.table.index;

import dev.flinkrag.document.DeadLetter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a SQL index's dead letters end: one log line each with the document, stage and reason, and a counter. */
@Internal
final class DeadLetterReporter extends ProcessFunction<DeadLetter, Void> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReporter.class);

    private final String index;
    private transient Counter deadLetters;

    DeadLetterReporter(String index) {
        this.index = index;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().addGroup("index", index).counter("deadLetters");
    }

    @Override
    public void processElement(DeadLetter letter, Context context, Collector<Void> out) {
        deadLetters.inc();
        LOG.warn("Index {}: dead letter of document {} (version {}) at stage {}: {}", index, letter.docId(),
                letter.version(), letter.stage(), letter.reason());
    }
}
