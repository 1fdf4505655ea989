package dev.flinkrag.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A seeded stream of document changes over a fixed set of document ids, made of real Markdown (the sample documents
 * and this project's own docs: prose, tables, code, long lines): creations, edits (a section replaced, inserted,
 * removed or appended), deletes, re-creations after a delete and unchanged re-sends. Every section carries a tag no
 * other section has, so no chunk text repeats across documents or versions: any text embedded twice was paid twice.
 */
final class DocumentChurn {

    /** One change: the document's JSON record, or {@code null} for a delete (a Kafka tombstone). */
    record Change(String docId, String json) {}

    /** What happened, by kind, for the report. */
    final Map<String, Integer> counts = new TreeMap<>();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SECTION_WORDS = 45;

    private final Random random;
    private final List<String> paragraphs;
    private final int documents;
    private final Map<String, List<String>> live = new TreeMap<>();
    private final Map<String, Integer> revisions = new LinkedHashMap<>();
    private long sections;

    DocumentChurn(long seed, int documents, List<Path> sourceFolders) throws IOException {
        this.random = new Random(seed);
        this.documents = documents;
        this.paragraphs = paragraphsOf(sourceFolders);
    }

    Change next() throws IOException {
        String docId = String.format("churn/doc-%04d.md", random.nextInt(documents));
        List<String> document = live.get(docId);
        if (document == null) {
            count(revisions.containsKey(docId) ? "re-created" : "created");
            document = new ArrayList<>();
            int size = 2 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                document.add(section(docId));
            }
            live.put(docId, document);
            return upsert(docId, document);
        }
        double roll = random.nextDouble();
        if (roll < 0.12) {
            count("deleted");
            live.remove(docId);
            return new Change(docId, null);
        }
        if (roll < 0.22) {
            count("re-sent unchanged");
            return new Change(docId, json(docId, document, revisions.get(docId)));
        }
        int at = random.nextInt(document.size());
        if (roll < 0.62 || document.size() == 1) {
            count("edited: section replaced");
            document.set(at, section(docId));
        } else if (roll < 0.77) {
            count("edited: section inserted");
            document.add(at, section(docId));
        } else if (roll < 0.87) {
            count("edited: section removed");
            document.remove(at);
        } else {
            count("edited: section appended");
            document.add(section(docId));
        }
        return upsert(docId, document);
    }

    /** The documents as they stand: id to JSON record. */
    Map<String, String> finalDocuments() throws IOException {
        Map<String, String> documents = new TreeMap<>();
        for (Map.Entry<String, List<String>> document : live.entrySet()) {
            documents.put(document.getKey(), json(document.getKey(), document.getValue(), revisions.get(document.getKey())));
        }
        return documents;
    }

    /** A live document's text. */
    String text(String docId) {
        return String.join("\n\n", live.get(docId));
    }

    private Change upsert(String docId, List<String> document) throws IOException {
        int revision = revisions.merge(docId, 1, Integer::sum);
        return new Change(docId, json(docId, document, revision));
    }

    private static String json(String docId, List<String> document, int revision) throws IOException {
        return JSON.writeValueAsString(Map.of("text", String.join("\n\n", document),
                "metadata", Map.of("title", "Churn " + docId, "revision", Integer.toString(revision))));
    }

    private String section(String docId) {
        String paragraph = paragraphs.get(random.nextInt(paragraphs.size()));
        String[] words = paragraph.split(" ");
        String text = words.length <= MAX_SECTION_WORDS ? paragraph
                : String.join(" ", Arrays.copyOfRange(words, 0, MAX_SECTION_WORDS));
        return "(" + docId.substring("churn/".length(), docId.length() - 3) + "." + (++sections) + ") " + text;
    }

    private void count(String kind) {
        counts.merge(kind, 1, Integer::sum);
    }

    private static List<String> paragraphsOf(List<Path> folders) throws IOException {
        List<String> paragraphs = new ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                    for (String paragraph : Files.readString(file).split("\n\\s*\n")) {
                        // keeps a table's or a code block's line breaks; only blank paragraphs go
                        if (paragraph.chars().anyMatch(Character::isLetterOrDigit)) {
                            paragraphs.add(paragraph.strip());
                        }
                    }
                }
            }
        }
        return paragraphs;
    }
}
