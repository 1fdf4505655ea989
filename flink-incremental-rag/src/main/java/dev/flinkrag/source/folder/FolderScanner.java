package dev.flinkrag.source.folder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Lists the files of a folder tree that the source indexes, with their size and modification time. */
final class FolderScanner {

    private final Path root;
    private final Set<String> extensions;

    FolderScanner(Path root, Set<String> extensions) {
        this.root = root;
        this.extensions = extensions;
    }

    Map<String, FileStamp> scan() {
        Map<String, FileStamp> files = new HashMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && included(file)) {
                        files.put(relative(file), new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException error) {
                    // a file deleted during the walk is simply not there; the next scan settles it
                    if (!(error instanceof NoSuchFileException)) {
                        throw new UncheckedIOException("cannot read " + file, error);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("scanning folder " + root + " failed", e);
        }
        return files;
    }

    private boolean included(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private String relative(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
