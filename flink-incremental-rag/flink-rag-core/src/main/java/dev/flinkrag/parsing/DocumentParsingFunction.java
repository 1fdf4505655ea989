package dev.flinkrag.parsing;

import dev.flinkrag.document.DocumentChange;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns raw document bytes into text, off the task thread and within the {@link ParsingOptions} limits. Plain text
 * and Markdown are decoded as strict UTF-8; every other format (PDF, DOCX, HTML, …) goes through a
 * {@link RawDocumentParser} (Apache Tika with module {@code flink-rag-parser-tika}), which detects the format from
 * the bytes and adds the detected {@value #CONTENT_TYPE} and the document's {@value #TITLE} to its metadata.
 *
 * <p>A document that cannot be read (empty, binary, not UTF-8, unsupported, over a limit, too slow to parse,
 * or any failure of the parser) leaves as the same change with its {@link DocumentChange#failure() failure} set,
 * which {@link ParseFailureRouter} turns into a dead letter and a delete. Deletes and changes that already carry
 * text complete at once, on the task thread. Each raw document is parsed on a thread of its own, so a document
 * that outlasts {@link ParsingOptions#TIMEOUT} delays no other: it is dead-lettered, its thread interrupted and
 * left to finish (Tika cannot be stopped; the {@code abandonedParses} gauge counts such threads).
 */
@PublicEvolving
public class DocumentParsingFunction extends RichAsyncFunction<DocumentChange, DocumentChange> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DocumentParsingFunction.class);

    private static final Set<String> TEXT_TYPES = Set.of("text/plain", "text/markdown", "text/x-markdown");
    /** Metadata keys: the file name a source gives (a hint for format detection), and what parsing adds. */
    static final String FILE_NAME = "file_name";
    static final String CONTENT_TYPE = "content_type";
    static final String TITLE = "title";

    private final ParsingOptions options;
    @Nullable private final RawDocumentParser rawParser;

    private transient ExecutorService parsers;
    private transient Map<DocumentChange, Future<?>> running;
    private transient AtomicInteger abandoned;

    /** Parses formats other than text and Markdown with the {@link RawDocumentParser} on the classpath, if any. */
    public DocumentParsingFunction(ParsingOptions options) {
        this(options, RawDocumentParser.discover());
    }

    public DocumentParsingFunction(ParsingOptions options, @Nullable RawDocumentParser rawParser) {
        this.options = options;
        this.rawParser = rawParser;
    }

    @Override
    public void open(OpenContext openContext) {
        parsers = Executors.newCachedThreadPool(new ExecutorThreadFactory("flink-rag-parse"));
        running = Collections.synchronizedMap(new IdentityHashMap<>());
        abandoned = new AtomicInteger();
        getRuntimeContext().getMetricGroup().addGroup("parsing").gauge("abandonedParses", abandoned::get);
    }

    @Override
    public void asyncInvoke(DocumentChange change, ResultFuture<DocumentChange> result) {
        String missing = change.docId() == null ? "docId" : change.kind() == null ? "kind"
                : change.metadata() == null ? "metadata" : null;
        if (missing != null) {
            // a change built by hand can lack what every later stage relies on (keying, for one)
            complete(result, failed(change, "field '" + missing + "' is null"));
        } else if (change.kind() == DocumentChange.Kind.DELETE) {
            complete(result, change);
        } else if (options.skips(change.docId())) {
            complete(result, failed(change, "skipped: the document is listed in option '"
                    + ParsingOptions.SKIP_DOCUMENTS.key() + "'"));
        } else if (change.failure() != null) {
            complete(result, change);
        } else if (change.text() != null) {
            complete(result, withinTextLimit(change));
        } else if (change.bytes() != null && change.bytes().length > options.maxDocumentBytes()) {
            complete(result, failed(change, String.format("field 'bytes' holds %,d bytes, more than the limit of %,d "
                    + "(option '%s')", change.bytes().length, options.maxDocumentBytes(),
                    ParsingOptions.MAX_DOCUMENT_SIZE.key())));
        } else {
            // in the map before it starts, so that a parse never finishes unseen
            FutureTask<Void> parse = new FutureTask<>(() -> {
                DocumentChange outcome = parseOrFail(change);
                if (running.remove(change) != null) {
                    complete(result, outcome);
                } else {
                    abandoned.decrementAndGet(); // timed out earlier and already dead-lettered
                }
            }, null);
            running.put(change, parse);
            parsers.execute(parse);
        }
    }

    @Override
    public void timeout(DocumentChange change, ResultFuture<DocumentChange> result) {
        Future<?> parse = running.remove(change);
        if (parse == null) {
            return; // finished just now; its own result stands
        }
        abandoned.incrementAndGet();
        parse.cancel(true);
        complete(result, failed(change, "parsing took longer than the limit of " + options.timeout()
                + " (option '" + ParsingOptions.TIMEOUT.key() + "')"));
    }

    private DocumentChange parseOrFail(DocumentChange change) {
        try {
            return withinTextLimit(parse(change, options.maxTextLength(), rawParser));
        } catch (UnreadableDocumentException e) {
            return failed(change, e.getMessage());
        } catch (OutOfMemoryError e) {
            // the document's own allocations are garbage now; the task goes on without it
            return failed(change, "parsing ran out of memory (" + e.getMessage() + "); lower option '"
                    + ParsingOptions.MAX_DOCUMENT_SIZE.key() + "' or give the TaskManager more heap");
        } catch (Throwable e) { // a parser's bug or a stack overflow on deep nesting is this document's alone
            LOG.warn("Parsing document {} (version {}) failed", change.docId(), change.version(), e);
            return failed(change, "unexpected " + e.getClass().getName() + " while parsing: " + e.getMessage());
        }
    }

    private DocumentChange withinTextLimit(DocumentChange change) {
        if (change.failure() == null && change.text() != null && change.text().length() > options.maxTextLength()) {
            return failed(change, String.format("field 'text' has %,d characters, more than the limit of %,d "
                    + "(option '%s')", change.text().length(), options.maxTextLength(), ParsingOptions.MAX_TEXT_LENGTH.key()));
        }
        return change;
    }

    private static DocumentChange failed(DocumentChange change, String reason) {
        return DocumentChange.unreadable(change.docId(), change.version(), reason, change.metadata(),
                change.sourceTimestamp());
    }

    private static void complete(ResultFuture<DocumentChange> result, DocumentChange outcome) {
        result.complete(Collections.singletonList(outcome));
    }

    /**
     * The change with its text, with the default text limit and the {@link RawDocumentParser} on the classpath;
     * see {@link #parse(DocumentChange, int, RawDocumentParser)}.
     */
    public static DocumentChange parse(DocumentChange change) throws UnreadableDocumentException {
        return parse(change, ParsingOptions.MAX_TEXT_LENGTH.defaultValue(), RawDocumentParser.discover());
    }

    /**
     * The change with its text; text and Markdown are strict UTF-8, other formats go through {@code rawParser},
     * which stops once it has extracted {@code maxTextLength} characters.
     */
    public static DocumentChange parse(DocumentChange change, int maxTextLength, @Nullable RawDocumentParser rawParser)
            throws UnreadableDocumentException {
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
        if (rawParser == null) {
            throw new UnreadableDocumentException("field 'contentType' is '" + type + "': reading it needs a "
                    + "parser such as dev.flinkrag:flink-rag-parser-tika on the classpath (text and Markdown need "
                    + "nothing)");
        }
        RawDocumentParser.Parsed parsed = rawParser.parse(change.bytes(), change.metadata().get(FILE_NAME), maxTextLength);
        Map<String, String> metadata = new HashMap<>(change.metadata());
        metadata.put(CONTENT_TYPE, parsed.contentType());
        if (parsed.title() != null) {
            metadata.put(TITLE, parsed.title());
        }
        return change.withParsed(parsed.text(), parsed.contentType(), metadata);
    }

    @Override
    public void close() {
        if (parsers != null) {
            parsers.shutdownNow();
        }
    }
}
