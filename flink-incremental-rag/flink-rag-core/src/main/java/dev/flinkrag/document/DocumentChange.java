package dev.flinkrag.document;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.util.Map;

/**
 * A change to one document, as a source observed it.
 *
 * <p>Content arrives either as {@code text} or as raw {@code bytes} with a {@code contentType} that the
 * parsing stage turns into text. {@code version} orders the changes of one document: the chunker drops a
 * change whose version is not newer than the last one it applied.
 *
 * @param docId stable identity of the document (a relative path, a primary key)
 * @param version increases with every change of the same document
 * @param kind upsert (the document now has this content) or delete
 * @param text the content as text, if known
 * @param bytes the raw content, if not yet parsed
 * @param contentType MIME type of {@code bytes}
 * @param metadata document metadata copied onto each chunk (path, title, ...)
 * @param sourceTimestamp when the source saw the change (epoch ms)
 * @param failure why the source could not read the content; such changes go to the dead-letter output
 */
@PublicEvolving
public record DocumentChange(
        String docId,
        long version,
        Kind kind,
        @Nullable String text,
        @Nullable byte[] bytes,
        @Nullable String contentType,
        Map<String, String> metadata,
        long sourceTimestamp,
        @Nullable String failure) {

    public enum Kind {
        UPSERT,
        DELETE
    }

    public static DocumentChange upsert(String docId, long version, String text, Map<String, String> metadata) {
        return new DocumentChange(docId, version, Kind.UPSERT, text, null, null, metadata, System.currentTimeMillis(), null);
    }

    public static DocumentChange upsertBytes(
            String docId, long version, byte[] bytes, String contentType, Map<String, String> metadata, long sourceTimestamp) {
        return new DocumentChange(docId, version, Kind.UPSERT, null, bytes, contentType, metadata, sourceTimestamp, null);
    }

    public static DocumentChange delete(String docId, long version) {
        return delete(docId, version, System.currentTimeMillis());
    }

    public static DocumentChange delete(String docId, long version, long sourceTimestamp) {
        return new DocumentChange(docId, version, Kind.DELETE, null, null, null, Map.of(), sourceTimestamp, null);
    }

    public static DocumentChange unreadable(
            String docId, long version, String failure, Map<String, String> metadata, long sourceTimestamp) {
        return new DocumentChange(docId, version, Kind.UPSERT, null, null, null, metadata, sourceTimestamp, failure);
    }

    public DocumentChange withText(String parsedText) {
        return new DocumentChange(docId, version, kind, parsedText, null, contentType, metadata, sourceTimestamp, null);
    }

    /** The parsed document: its text, the content type found, and metadata with what the parser learned. */
    public DocumentChange withParsed(String parsedText, String parsedContentType, Map<String, String> parsedMetadata) {
        return new DocumentChange(docId, version, kind, parsedText, null, parsedContentType, parsedMetadata,
                sourceTimestamp, null);
    }

    /** The same document removed at this version: what is left of a document that can no longer be read. */
    public DocumentChange asDelete() {
        return delete(docId, version, sourceTimestamp);
    }

    @Override
    public String toString() {
        return "DocumentChange{docId=" + docId + ", version=" + version + ", kind=" + kind + "}";
    }
}
