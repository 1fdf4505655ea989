package dev.flinkrag.testing;

import dev.flinkrag.document.DocumentChange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The final documents of a folder, as the folder source would describe them, for the from-scratch oracle. */
public final class FolderOracle {

    private static final DateTimeFormatter MODIFIED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private FolderOracle() {}

    public static List<DocumentChange> documents(Path root) throws IOException {
        return documents(root, path -> true);
    }

    /** Only the files whose relative path passes {@code include}. */
    public static List<DocumentChange> documents(Path root, Predicate<String> include) throws IOException {
        return documents(root, include, true);
    }

    /** Only the files whose relative path passes {@code include}, with or without their modification time. */
    public static List<DocumentChange> documents(Path root, Predicate<String> include, boolean modificationTime)
            throws IOException {
        List<DocumentChange> documents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (!include.test(relative)) {
                    continue;
                }
                String type = relative.endsWith(".md") ? "text/markdown" : "text/plain";
                documents.add(DocumentChange.upsert(relative, 1, Files.readString(file, StandardCharsets.UTF_8),
                        metadata(root, file, type, modificationTime)));
            }
        }
        return documents;
    }

    /** The metadata the folder source gives a file before parsing. */
    public static Map<String, String> metadata(Path root, Path file, String contentType, boolean modificationTime)
            throws IOException {
        Map<String, String> metadata = new HashMap<>(Map.of(
                "path", root.relativize(file).toString().replace('\\', '/'),
                "file_name", file.getFileName().toString(),
                "content_type", contentType,
                "size_bytes", String.valueOf(Files.size(file))));
        if (modificationTime) {
            metadata.put("modified_at", MODIFIED_AT.format(Files.getLastModifiedTime(file).toInstant()));
        }
        return metadata;
    }
}
