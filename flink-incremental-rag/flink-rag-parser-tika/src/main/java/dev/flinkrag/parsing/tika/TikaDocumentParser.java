package dev.flinkrag.parsing.tika;

import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.parsing.RawDocumentParser;
import dev.flinkrag.parsing.UnreadableDocumentException;

import dev.langchain4j.data.document.BlankDocumentException;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.parser.apache.tika.ApacheTikaDocumentParser;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;

import javax.annotation.Nullable;

import java.io.ByteArrayInputStream;

/**
 * Text out of PDF, DOCX, HTML and the other formats Apache Tika reads, through LangChain4j's Tika parser. The
 * format is detected from the bytes (with the file name as a hint), not taken from the extension. Registered for
 * {@link RawDocumentParser#discover()}, so the parsing stage uses it whenever this module is on the classpath.
 */
@PublicEvolving
public final class TikaDocumentParser implements RawDocumentParser {

    private static final long serialVersionUID = 1L;

    /** What Tika detects when it recognises no format. */
    private static final String UNKNOWN = "application/octet-stream";

    /** Longest title kept; a broken page can hold its whole text in an unclosed {@code <title>}. */
    static final int MAX_TITLE_LENGTH = 1_000;

    @Override
    public Parsed parse(byte[] bytes, @Nullable String fileName, int maxTextLength) throws UnreadableDocumentException {
        // one parse per parser: the metadata Tika fills tells the detected type when it finds no text
        Metadata detected = new Metadata();
        if (fileName != null) {
            detected.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        }
        ApacheTikaDocumentParser parser = new ApacheTikaDocumentParser(AutoDetectParser::new,
                () -> new BodyContentHandler(maxTextLength), () -> detected, ParseContext::new, true);
        Document document;
        try {
            document = parser.parse(new ByteArrayInputStream(bytes));
        } catch (BlankDocumentException e) {
            String type = mediaType(detected.get(Metadata.CONTENT_TYPE));
            throw new UnreadableDocumentException(type == null || type.equals(UNKNOWN)
                    ? "unknown content type: Apache Tika recognises no format in it (" + UNKNOWN + ")"
                    : "the document has no text (content type " + type + ")");
        } catch (RuntimeException e) {
            throw new UnreadableDocumentException(reasonOf(e, maxTextLength));
        }
        String contentType = mediaType(document.metadata().getString("Content-Type"));
        String title = document.metadata().getString("dc:title");
        return new Parsed(document.text(), contentType == null ? UNKNOWN : contentType, titleOf(title));
    }

    /** The type without parameters ({@code text/html; charset=UTF-8} is {@code text/html}). */
    @Nullable
    private static String mediaType(@Nullable String contentType) {
        return contentType == null ? null : contentType.replaceAll(";.*", "").strip();
    }

    @Nullable
    private static String titleOf(@Nullable String title) {
        if (title == null || title.isBlank()) {
            return null;
        }
        String stripped = title.strip();
        if (stripped.length() <= MAX_TITLE_LENGTH) {
            return stripped;
        }
        int end = Character.isHighSurrogate(stripped.charAt(MAX_TITLE_LENGTH - 1)) ? MAX_TITLE_LENGTH - 1 : MAX_TITLE_LENGTH;
        return stripped.substring(0, end).strip() + "…";
    }

    private static String reasonOf(RuntimeException failure, int maxTextLength) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WriteLimitReachedException) {
                return String.format("the text is longer than the limit of %,d characters (option '%s')",
                        maxTextLength, ParsingOptions.MAX_TEXT_LENGTH.key());
            }
            if (cause instanceof EncryptedDocumentException) {
                return "the document is encrypted";
            }
            if (cause instanceof TikaException tika) {
                return "Apache Tika cannot read it: " + tika.getMessage() + rootCauseOf(tika);
            }
        }
        return "Apache Tika cannot read it: " + failure + rootCauseOf(failure);
    }

    /** Tika wraps what its parsers throw ("Unexpected RuntimeException from OOXMLParser"); the cause says why. */
    private static String rootCauseOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == failure || root.getMessage() == null) {
            return "";
        }
        String message = root.getMessage().replaceAll("\\s+", " ").strip();
        return " (" + (message.length() <= 300 ? message : message.substring(0, 300) + "…") + ")";
    }
}
