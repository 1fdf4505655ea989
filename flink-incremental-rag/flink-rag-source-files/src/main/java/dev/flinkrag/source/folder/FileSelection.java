package dev.flinkrag.source.folder;

import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which files of the tree the source indexes: a file name extension from the set, a path (relative to the root,
 * {@code /}-separated) matching one of the include globs if any are given, and none of the exclude globs. Globs
 * are {@link java.nio.file.FileSystem#getPathMatcher} globs: {@code *} stays within a directory, {@code **}
 * crosses them ({@code **}{@code /drafts/**} excludes every drafts folder).
 */
final class FileSelection implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Set<String> extensions;
    private final List<String> includes;
    private final List<String> excludes;
    private transient List<PathMatcher> includeMatchers;
    private transient List<PathMatcher> excludeMatchers;

    FileSelection(Set<String> extensions, List<String> includes, List<String> excludes) {
        this.extensions = Set.copyOf(extensions);
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        compile(); // a malformed glob fails when the job is built
    }

    boolean selects(String relativePath) {
        if (includeMatchers == null) {
            compile();
        }
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || !extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return false;
        }
        Path path = Path.of(relativePath);
        if (!includeMatchers.isEmpty() && includeMatchers.stream().noneMatch(matcher -> matcher.matches(path))) {
            return false;
        }
        return excludeMatchers.stream().noneMatch(matcher -> matcher.matches(path));
    }

    private void compile() {
        includeMatchers = includes.stream().map(FileSelection::glob).toList();
        excludeMatchers = excludes.stream().map(FileSelection::glob).toList();
    }

    private static PathMatcher glob(String pattern) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FolderSource: glob '" + pattern + "' is malformed: " + e.getMessage(), e);
        }
    }
}
