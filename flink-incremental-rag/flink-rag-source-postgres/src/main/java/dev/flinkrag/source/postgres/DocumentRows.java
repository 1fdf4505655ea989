package dev.flinkrag.source.postgres;

import dev.flinkrag.document.DocumentChange;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One table row (column names and their raw text values) as a document change. Snapshot pages and replicated
 * changes both arrive as PostgreSQL's text output of each column, so a row reads the same either way.
 */
final class DocumentRows {

    private final PostgresSourceSettings settings;

    DocumentRows(PostgresSourceSettings settings) {
        this.settings = settings;
    }

    /** The document id of a row or key tuple; {@code null} if the id column is missing or NULL. */
    String idOf(List<String> columns, List<byte[]> values) throws CharacterCodingException {
        int index = columns.indexOf(settings.idColumn);
        if (index < 0 || values.get(index) == null) {
            return null;
        }
        return decode(values.get(index));
    }

    DocumentChange upsert(List<String> columns, List<byte[]> values, long version, long timestamp) {
        String docId;
        try {
            docId = idOf(columns, values);
        } catch (CharacterCodingException e) {
            String lossy = new String(values.get(columns.indexOf(settings.idColumn)), StandardCharsets.UTF_8);
            return DocumentChange.unreadable(settings.table + ":" + lossy, version, "table " + settings.table
                    + ": column '" + settings.idColumn + "' is not valid UTF-8", Map.of(), timestamp);
        }
        if (docId == null) {
            return DocumentChange.unreadable(settings.table + ":NULL", version, "table " + settings.table
                    + ": a row has no value in column '" + settings.idColumn + "' (the document id)", Map.of(), timestamp);
        }
        Map<String, String> metadata = new HashMap<>();
        String body = null;
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            boolean isText = column.equals(settings.textColumn);
            boolean isMetadata = !isText && !column.equals(settings.idColumn)
                    && (settings.metadataColumns == null || settings.metadataColumns.contains(column));
            byte[] value = values.get(i);
            if ((!isText && !isMetadata) || value == null) {
                continue;
            }
            String text;
            try {
                text = decode(value);
            } catch (CharacterCodingException e) {
                return DocumentChange.unreadable(docId, version, "document " + docId + " (table " + settings.table
                        + "): column '" + column + "' is not valid UTF-8", Map.of(), timestamp);
            }
            if (isText) {
                body = text;
            } else {
                metadata.put(column, text);
            }
        }
        if (body == null) {
            return DocumentChange.unreadable(docId, version, "document " + docId + " (table " + settings.table
                    + "): column '" + settings.textColumn + "' is NULL", metadata, timestamp);
        }
        return new DocumentChange(docId, version, DocumentChange.Kind.UPSERT, body, null, null, metadata, timestamp, null);
    }

    /** Strict: a value that is not UTF-8 is reported (a SQL_ASCII database stores any bytes), never replaced. */
    private static String decode(byte[] value) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value))
                .toString();
    }
}
