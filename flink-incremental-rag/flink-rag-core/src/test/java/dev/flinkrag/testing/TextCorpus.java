package dev.flinkrag.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The real-text corpus on the test classpath ({@code corpus/README.md} says where each text comes from):
 * 45 documents of public-domain prose of 4,000 words or more, and nine chapters of a technical book in Markdown.
 */
public final class TextCorpus {

    private TextCorpus() {}

    /** One document of the corpus: its path under {@code corpus/} and its text. */
    public record Text(String name, String text) {

        /** Its paragraphs (blocks between blank lines), trimmed, in order. */
        public List<String> paragraphs() {
            return Arrays.stream(text.split("\\n[ \\t]*\\n")).map(String::strip).filter(p -> !p.isEmpty()).toList();
        }
    }

    /** The prose documents. */
    public static List<Text> prose() {
        return load("prose/");
    }

    /** Every document: the prose and the technical chapters. */
    public static List<Text> all() {
        return load("");
    }

    private static List<Text> load(String prefix) {
        List<Text> texts = new ArrayList<>();
        for (String name : read("index.txt").lines().filter(line -> line.startsWith(prefix)).toList()) {
            texts.add(new Text(name, read(name)));
        }
        return texts;
    }

    private static String read(String name) {
        try (InputStream in = TextCorpus.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IllegalStateException("corpus/" + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
