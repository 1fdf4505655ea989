package dev.flinkrag.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the newest complete checkpoint a previous run left behind, to resume from it. */
final class RetainedCheckpoints {

    private RetainedCheckpoints() {}

    /** The newest {@code <dir>/<job id>/chk-<n>} holding a {@code _metadata} file (a complete checkpoint). */
    static Optional<Path> latest(Path checkpointsDirectory) throws IOException {
        if (!Files.isDirectory(checkpointsDirectory)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(checkpointsDirectory, 3,
                (path, attributes) -> path.getFileName().toString().equals("_metadata")
                        && path.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.max(Comparator.comparingLong(RetainedCheckpoints::modified)).map(Path::getParent);
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
