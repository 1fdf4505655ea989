package dev.flinkrag.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies the shipped sample folder, so tests can edit it. */
final class SampleFolders {

    private SampleFolders() {}

    static Path copy(Path samples, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(samples)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(samples.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        return target;
    }
}
