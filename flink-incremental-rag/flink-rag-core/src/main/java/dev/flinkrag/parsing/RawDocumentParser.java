package dev.flinkrag.parsing;

import org.apache.flink.annotation.Experimental;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ServiceLoader;

/**
 * Reads the text out of a raw document in a format other than plain text and Markdown (PDF, DOCX, HTML, …). The
 * parsing stage uses the one given to it or else the first one {@link ServiceLoader} finds (module
 * {@code flink-rag-parser-tika} registers Apache Tika). Called on a thread of its own, once per document.
 */
@Experimental
public interface RawDocumentParser extends Serializable {

    /** The text, the detected content type and the title (if the document has one) of {@code bytes}. */
    record Parsed(String text, String contentType, @Nullable String title) {}

    /**
     * @param fileName a hint for format detection, if the source knows it
     * @param maxTextLength stop with {@link UnreadableDocumentException} once this much text is extracted
     * @throws UnreadableDocumentException with the reason the document cannot be read, which its dead letter carries
     */
    Parsed parse(byte[] bytes, @Nullable String fileName, int maxTextLength) throws UnreadableDocumentException;

    /** The first parser registered on the classpath, or {@code null}. */
    @Nullable
    static RawDocumentParser discover() {
        for (RawDocumentParser parser : ServiceLoader.load(RawDocumentParser.class, RawDocumentParser.class.getClassLoader())) {
            return parser;
        }
        return null;
    }
}
