package dev.flinkrag.parsing;

import dev.flinkrag.document.DeadLetter;
import dev.flinkrag.document.DocumentChange;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns raw document bytes into text. Plain text and Markdown are decoded as strict UTF-8; every other format
 * (PDF, DOCX, HTML, …) goes through Apache Tika, which detects the format from the bytes and adds the detected
 * {@value #CONTENT_TYPE} and the document's {@value #TITLE} to its metadata.
 *
 * <p>A document that cannot be read (empty, binary, not UTF-8, unsupported type, or unreadable at the
 * source) goes to {@link #DEAD_LETTERS} with its id and the reason, and continues downstream as a delete
 * of that version: the index must not keep serving content of a document that no longer parses.
 */
public class DocumentParsingFunction extends ProcessFunction<DocumentChange, DocumentChange> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DocumentParsingFunction.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private static final Set<String> TEXT_TYPES = Set.of("text/plain", "text/markdown", "text/x-markdown");
    /** Metadata keys: the file name a source gives (a hint for format detection), and what parsing adds. */
    static final String FILE_NAME = "file_name";
    static final String CONTENT_TYPE = "content_type";
    static final String TITLE = "title";

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().addGroup("parsing").counter("deadLetters");
    }

    @Override
    public void processElement(DocumentChange change, Context context, Collector<DocumentChange> out) {
        if (change.kind() == DocumentChange.Kind.DELETE || (change.text() != null && change.failure() == null)) {
            out.collect(change);
            return;
        }
        try {
            out.collect(parse(change));
        } catch (UnreadableDocumentException e) {
            deadLetters.inc();
            LOG.warn("Skipping document {} (version {}): {}", change.docId(), change.version(), e.getMessage());
            context.output(DEAD_LETTERS, new DeadLetter(change.docId(), change.version(), "parse", e.getMessage()));
            out.collect(change.asDelete());
        }
    }

    /** The change with its text; text and Markdown are strict UTF-8, other formats go through Apache Tika. */
    public static DocumentChange parse(DocumentChange change) throws UnreadableDocumentException {
        if (change.failure() != null) {
            throw new UnreadableDocumentException(change.failure());
        }
        if (change.bytes() == null) {
            throw new UnreadableDocumentException("neither field 'text' nor field 'bytes' is set");
        }
        String type = change.contentType() == null ? "" : change.contentType();
        if (TEXT_TYPES.contains(type)) {
            return change.withText(TextDecoding.decodeUtf8(change.bytes()));
        }
        if (!TikaText.available()) {
            throw new UnreadableDocumentException("field 'contentType' is '" + type + "': reading it needs "
                    + "dev.langchain4j:langchain4j-document-parser-apache-tika on the classpath (text and Markdown "
                    + "need nothing)");
        }
        TikaText.Parsed parsed = TikaText.parse(change.bytes(), change.metadata().get(FILE_NAME));
        Map<String, String> metadata = new HashMap<>(change.metadata());
        metadata.put(CONTENT_TYPE, parsed.contentType());
        if (parsed.title() != null) {
            metadata.put(TITLE, parsed.title());
        }
        return change.withParsed(parsed.text(), parsed.contentType(), metadata);
    }
}
