package dev.flinkrag.testing;

import dev.flinkrag.document.DocumentChange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The final documents of a folder, as the folder source would describe them, for the from-scratch oracle. */
public final class FolderOracle {

    private FolderOracle() {}

    public static List<DocumentChange> documents(Path root) throws IOException {
        return documents(root, path -> true);
    }

    /** Only the files whose relative path passes {@code include}. */
    public static List<DocumentChange> documents(Path root, Predicate<String> include) throws IOException {
        List<DocumentChange> documents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (!include.test(relative)) {
                    continue;
                }
                String type = relative.endsWith(".md") ? "text/markdown" : "text/plain";
                documents.add(DocumentChange.upsert(relative, 1, Files.readString(file, StandardCharsets.UTF_8),
                        Map.of("path", relative, "file_name", file.getFileName().toString(), "content_type", type)));
            }
        }
        return documents;
    }
}
