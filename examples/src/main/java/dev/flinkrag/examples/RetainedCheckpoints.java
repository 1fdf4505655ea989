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

    /**
     * The newest complete checkpoint ({@code <checkpoints>/<job id>/chk-<n>}) or savepoint
     * ({@code <savepoints>/savepoint-<id>}): a directory holding a {@code _metadata} file.
     */
    static Optional<Path> latest(Path checkpoints, Path savepoints) throws IOException {
        Optional<Path> newest = Optional.empty();
        for (Path directory : new Path[] {checkpoints, savepoints}) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> files = Files.find(directory, 3, (path, attributes) -> isMetadata(path))) {
                Optional<Path> found = files.max(Comparator.comparingLong(RetainedCheckpoints::modified));
                if (found.isPresent() && (newest.isEmpty() || modified(found.get()) > modified(newest.get()))) {
                    newest = found;
                }
            }
        }
        return newest.map(Path::getParent);
    }

    private static boolean isMetadata(Path path) {
        String parent = path.getParent().getFileName().toString();
        return path.getFileName().toString().equals("_metadata")
                && (parent.startsWith("chk-") || parent.startsWith("savepoint-"));
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
