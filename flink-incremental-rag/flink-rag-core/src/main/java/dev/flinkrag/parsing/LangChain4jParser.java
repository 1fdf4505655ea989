package dev.flinkrag.parsing;

import dev.langchain4j.data.document.BlankDocumentException;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentParser;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.function.SerializableSupplier;

import javax.annotation.Nullable;

import java.io.ByteArrayInputStream;

/**
 * Any LangChain4j {@link DocumentParser} as the parsing stage's {@link RawDocumentParser}, created for each document
 * (parsers are not serializable, and the stage parses several documents at once). The document's {@code Content-Type} and {@code title} metadata, if the parser sets
 * them, become the change's content type and title.
 */
@PublicEvolving
public final class LangChain4jParser implements RawDocumentParser {

    private static final long serialVersionUID = 1L;

    private final SerializableSupplier<DocumentParser> factory;

    public LangChain4jParser(SerializableSupplier<DocumentParser> factory) {
        this.factory = factory;
    }

    @Override
    public Parsed parse(byte[] bytes, @Nullable String fileName, int maxTextLength) throws UnreadableDocumentException {
        Document document;
        try {
            document = factory.get().parse(new ByteArrayInputStream(bytes));
        } catch (BlankDocumentException e) {
            throw new UnreadableDocumentException("the document has no text");
        } catch (RuntimeException e) {
            throw new UnreadableDocumentException("the parser cannot read it: " + e);
        }
        if (document.text().length() > maxTextLength) {
            throw new UnreadableDocumentException(String.format("the text is longer than the limit of %,d characters "
                    + "(option '%s')", maxTextLength, ParsingOptions.MAX_TEXT_LENGTH.key()));
        }
        String contentType = document.metadata().getString("Content-Type");
        String title = document.metadata().getString("title");
        return new Parsed(document.text(), contentType == null ? "application/octet-stream" : contentType, title);
    }
}
