package dev.flinkrag.parsing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of plain-text documents: bad input is reported, never replaced with '\uFFFD'. */
final class TextDecoding {

    private static final int BINARY_PROBE_BYTES = 8192;

    private TextDecoding() {}

    /** The text, or an exception whose message says what is wrong with the bytes. */
    static String decodeUtf8(byte[] bytes) throws UnreadableDocumentException {
        if (bytes.length == 0) {
            throw new UnreadableDocumentException("field 'content' is empty");
        }
        for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE_BYTES); i++) {
            if (bytes[i] == 0) {
                throw new UnreadableDocumentException("field 'content' looks binary (NUL byte at offset " + i + ")");
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                throw new UnreadableDocumentException("field 'content' holds only white space");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new UnreadableDocumentException("field 'content' is not valid UTF-8: " + e.getMessage());
        }
    }
}
