package dev.flinkrag.table.index;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.document.DeadLetter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.CoProcessFunction;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

/**
 * A SQL index's dead letters, handled on the chunks' way to the store (chunks pass untouched): one log line each with
 * the document, stage and reason, a counter, and a row in the dead-letter table if one is named.
 */
@Internal
final class DeadLetterTap extends CoProcessFunction<ChunkChange, DeadLetter, ChunkChange> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTap.class);

    private final String index;
    @Nullable private final DeadLetterTable table;
    private transient Counter deadLetters;
    @Nullable private transient DeadLetterTable.Writer writer;

    DeadLetterTap(String index, @Nullable DeadLetterTable table) {
        this.index = index;
        this.table = table;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        deadLetters = getRuntimeContext().getMetricGroup().addGroup("index", index).counter("deadLetters");
        writer = table == null ? null : table.open();
    }

    @Override
    public void processElement1(ChunkChange chunk, Context context, Collector<ChunkChange> out) {
        out.collect(chunk);
    }

    @Override
    public void processElement2(DeadLetter letter, Context context, Collector<ChunkChange> out) throws Exception {
        deadLetters.inc();
        LOG.warn("Index {}: dead letter of document {} (version {}) at stage {}: {}", index, letter.docId(),
                letter.version(), letter.stage(), letter.reason());
        if (writer != null) {
            writer.write(letter);
        }
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
