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
import java.util.Map;

/** Lists the files of a folder tree that the source indexes, with their size and modification time. */
final class FolderScanner {

    private final Path root;
    private final FileSelection selection;

    FolderScanner(Path root, FileSelection selection) {
        this.root = root;
        this.selection = selection;
    }

    Map<String, FileStamp> scan() {
        Map<String, FileStamp> files = new HashMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String path = relative(file);
                    if (attributes.isRegularFile() && selection.selects(path)) {
                        files.put(path, new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis()));
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

    private String relative(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
