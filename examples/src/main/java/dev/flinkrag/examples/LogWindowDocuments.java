package dev.flinkrag.examples;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each service's windows into documents of the index and deletes them again once they are older than the
 * retention: the upsert of a window registers an event-time timer at its end plus the retention, which deletes it.
 * So the index holds the last {@code retention} of every service's logs, and an answer about "right now" is drawn
 * from it only. Timers are keyed state, so the deletes survive restarts.
 */
final class LogWindowDocuments extends KeyedProcessFunction<String, LogWindow, DocumentChange> {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long retentionMillis;

    LogWindowDocuments(long windowMillis, long retentionMillis) {
        this.windowMillis = windowMillis;
        this.retentionMillis = retentionMillis;
    }

    @Override
    public void processElement(LogWindow window, Context context, Collector<DocumentChange> out) {
        out.collect(DocumentChange.upsert(window.documentId(), window.end(), window.text(), window.metadata()));
        context.timerService().registerEventTimeTimer(window.end() + retentionMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DocumentChange> out) {
        long start = timestamp - retentionMillis - windowMillis;
        out.collect(DocumentChange.delete(LogWindow.documentId(context.getCurrentKey(), start), timestamp));
    }
}
