package dev.flinkrag.serving;

import dev.flinkrag.sink.VectorOperation;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The project's sample documents as a pipeline writes them into a store that keeps documents: chunks (paragraphs)
 * with only their {@code doc_id}, and one document record per file with its metadata — {@code path},
 * {@code file_name}, {@code modified_at}, {@code size_bytes} as the folder source sets them, plus an {@code owner}
 * and a {@code tenant} (the folder the file is in) — and its chunk ids in order.
 */
public final class SampleIndex {

    public static final Path SAMPLE_DOCS = Path.of("..", "..", "examples", "sample-docs").toAbsolutePath().normalize();
    public static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
    private static final String[] OWNERS = {"albert", "bea", "carl"};
    /** The folder source's format of {@code modified_at}. */
    private static final DateTimeFormatter MODIFIED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** {@code modified_at} of the first document (UNIX seconds); each next one is an hour later. */
    public static final long FIRST_MODIFIED_AT = 1_764_000_000L;

    /** One chunk of the sample index: its id, text and document. */
    public record Chunk(String id, String text, String docId) {}

    /** One document: its id, metadata and chunks. */
    public record Doc(String id, Map<String, Object> metadata, List<Chunk> chunks) {}

    private static List<Doc> documents;
    private static Map<String, Embedding> vectors;

    private SampleIndex() {}

    public static synchronized List<Doc> documents() {
        if (documents == null) {
            documents = read();
        }
        return documents;
    }

    /** The store operations that write the whole sample index, documents in path order. */
    public static synchronized List<VectorOperation> operations() {
        if (vectors == null) {
            vectors = new LinkedHashMap<>();
            List<Chunk> all = documents().stream().flatMap(doc -> doc.chunks().stream()).toList();
            List<Embedding> embedded = MODEL.embedAll(all.stream().map(chunk -> TextSegment.from(chunk.text())).toList())
                    .content();
            for (int i = 0; i < all.size(); i++) {
                vectors.put(all.get(i).id(), embedded.get(i));
            }
        }
        List<VectorOperation> operations = new ArrayList<>();
        for (Doc doc : documents()) {
            for (Chunk chunk : doc.chunks()) {
                operations.add(VectorOperation.upsert(chunk.id(), chunk.text(), vectors.get(chunk.id()).vector(),
                        Map.of("doc_id", doc.id())));
            }
            operations.add(VectorOperation.document("doc_id", doc.id(), new VectorOperation.DocumentRecord(
                    doc.metadata(), doc.chunks().stream().map(Chunk::id).toList())));
        }
        return operations;
    }

    public static List<Chunk> chunks() {
        return documents().stream().flatMap(doc -> doc.chunks().stream()).toList();
    }

    private static List<Doc> read() {
        try (Stream<Path> files = Files.walk(SAMPLE_DOCS)) {
            List<Path> paths = files.filter(Files::isRegularFile).sorted().toList();
            List<Doc> docs = new ArrayList<>();
            for (int d = 0; d < paths.size(); d++) {
                Path path = paths.get(d);
                String relative = SAMPLE_DOCS.relativize(path).toString();
                String text = Files.readString(path, StandardCharsets.UTF_8);
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("doc_id", relative);
                metadata.put("path", path.toString());
                metadata.put("file_name", path.getFileName().toString());
                metadata.put("modified_at", MODIFIED_AT.format(Instant.ofEpochSecond(FIRST_MODIFIED_AT + d * 3_600L)));
                metadata.put("size_bytes", (long) text.getBytes(StandardCharsets.UTF_8).length);
                metadata.put("owner", OWNERS[d % OWNERS.length]);
                metadata.put("tenant", relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : "shared");
                List<Chunk> chunks = new ArrayList<>();
                for (String paragraph : text.split("\\n\\s*\\n")) {
                    if (!paragraph.isBlank()) {
                        String id = UUID.nameUUIDFromBytes((relative + "#" + chunks.size()).getBytes(StandardCharsets.UTF_8))
                                .toString();
                        chunks.add(new Chunk(id, paragraph.strip(), relative));
                    }
                }
                docs.add(new Doc(relative, metadata, chunks));
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
