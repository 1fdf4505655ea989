package dev.flinkrag.parsing;

import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After {@link DocumentParsingFunction}: a change that could not be read goes to {@link #DEAD_LETTERS} with its id
 * and the reason, and continues downstream as a delete of that version, because the index must not keep serving
 * content of a document that no longer parses (a change without an id has nothing to delete and stops here).
 */
@PublicEvolving
public class ParseFailureRouter extends ProcessFunction<DocumentChange, DocumentChange> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseFailureRouter.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().addGroup("parsing").counter("deadLetters");
    }

    @Override
    public void processElement(DocumentChange change, Context context, Collector<DocumentChange> out) {
        if (change.failure() == null) {
            out.collect(change);
            return;
        }
        deadLetters.inc();
        LOG.warn("Skipping document {} (version {}): {}", change.docId(), change.version(), change.failure());
        context.output(DEAD_LETTERS, new DeadLetter(change.docId(), change.version(), "parse", change.failure()));
        if (change.docId() != null) { // without an id there is nothing to key, and nothing indexed to remove
            out.collect(change.asDelete());
        }
    }
}
