package dev.flinkrag.parsing;

import dev.langchain4j.data.document.BlankDocumentException;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.parser.apache.tika.ApacheTikaDocumentParser;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;

import javax.annotation.Nullable;

import java.io.ByteArrayInputStream;

/**
 * Text out of PDF, DOCX, HTML and the other formats Apache Tika reads, through LangChain4j's Tika parser. The
 * format is detected from the bytes (with the file name as a hint), not taken from the extension. Only loaded
 * when {@code langchain4j-document-parser-apache-tika} is on the classpath.
 */
final class TikaText {

    /** The parsed text, the detected content type and the title, if the document has one. */
    record Parsed(String text, String contentType, @Nullable String title) {}

    private TikaText() {}

    static boolean available() {
        try {
            Class.forName("dev.langchain4j.data.document.parser.apache.tika.ApacheTikaDocumentParser", false,
                    TikaText.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static Parsed parse(byte[] bytes, @Nullable String fileName) throws UnreadableDocumentException {
        ApacheTikaDocumentParser parser = new ApacheTikaDocumentParser(AutoDetectParser::new,
                () -> new BodyContentHandler(-1),
                () -> {
                    Metadata metadata = new Metadata();
                    if (fileName != null) {
                        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
                    }
                    return metadata;
                },
                ParseContext::new, true);
        Document document;
        try {
            document = parser.parse(new ByteArrayInputStream(bytes));
        } catch (BlankDocumentException e) {
            throw new UnreadableDocumentException("the document has no text");
        } catch (RuntimeException e) {
            throw new UnreadableDocumentException(reasonOf(e));
        }
        String contentType = document.metadata().getString("Content-Type");
        String title = document.metadata().getString("dc:title");
        return new Parsed(document.text(), contentType == null ? "application/octet-stream"
                : contentType.replaceAll(";.*", "").strip(), title == null || title.isBlank() ? null : title.strip());
    }

    private static String reasonOf(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EncryptedDocumentException) {
                return "the document is encrypted";
            }
            if (cause instanceof TikaException tika) {
                return "Apache Tika cannot read it: " + tika.getMessage();
            }
        }
        return "Apache Tika cannot read it: " + failure;
    }
}
