package dev.flinkrag.testing;

import dev.flinkrag.document.DocumentChange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded random history of document changes: inserts, paragraph edits at random positions, metadata
 * changes, deletes, re-creations, and stale versions re-sent after newer ones.
 */
public final class DocumentHistory {

    private final Prose prose;
    private final Random random;
    private final List<DocumentChange> changes = new ArrayList<>();
    private final Map<String, DocumentChange> latest = new LinkedHashMap<>();
    private final Map<String, List<String>> paragraphs = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();

    public DocumentHistory(long seed) {
        this.prose = new Prose(seed);
        this.random = prose.random();
    }

    public static DocumentHistory random(long seed, int documents, int steps) {
        DocumentHistory history = new DocumentHistory(seed);
        for (int d = 0; d < documents; d++) {
            history.create("doc-" + d + ".md", 3 + history.random.nextInt(25));
        }
        for (int step = 0; step < steps; step++) {
            String docId = "doc-" + history.random.nextInt(documents) + ".md";
            history.randomStep(docId);
        }
        return history;
    }

    public void create(String docId, int paragraphCount) {
        paragraphs.put(docId, new ArrayList<>(prose.paragraphs(paragraphCount)));
        emit(docId, Map.of("title", "Title of " + docId, "path", docId));
    }

    private void randomStep(String docId) {
        DocumentChange current = latest.get(docId);
        if (current.kind() == DocumentChange.Kind.DELETE) {
            create(docId, 2 + random.nextInt(20));
            return;
        }
        List<String> text = paragraphs.get(docId);
        int roll = random.nextInt(100);
        if (roll < 25) {
            text.add(random.nextInt(text.size() + 1), prose.paragraph());
        } else if (roll < 40 && text.size() > 1) {
            text.remove(random.nextInt(text.size()));
        } else if (roll < 65) {
            text.set(random.nextInt(text.size()), prose.paragraph());
        } else if (roll < 78) {
            emit(docId, Map.of("title", "Retitled " + random.nextInt(1000) + " " + docId, "path", docId));
            return;
        } else if (roll < 88) {
            resendStale(docId);
            return;
        } else {
            delete(docId);
            return;
        }
        emit(docId, current.metadata());
    }

    private void emit(String docId, Map<String, String> metadata) {
        long version = versions.merge(docId, 1L, Long::sum);
        DocumentChange change = DocumentChange.upsert(docId, version, Prose.join(paragraphs.get(docId)), metadata);
        changes.add(change);
        latest.put(docId, change);
    }

    public void delete(String docId) {
        long version = versions.merge(docId, 1L, Long::sum);
        DocumentChange change = DocumentChange.delete(docId, version);
        changes.add(change);
        latest.put(docId, change);
    }

    /** An older change of the document arrives again after newer ones: it must be ignored. */
    private void resendStale(String docId) {
        List<DocumentChange> older = changes.stream()
                .filter(c -> c.docId().equals(docId) && c.version() < versions.get(docId))
                .toList();
        if (!older.isEmpty()) {
            changes.add(older.get(random.nextInt(older.size())));
        }
    }

    public List<DocumentChange> changes() {
        return changes;
    }

    public List<DocumentChange> finalDocuments() {
        return new ArrayList<>(latest.values());
    }

    public long staleChanges() {
        Map<String, Long> seen = new HashMap<>();
        long stale = 0;
        for (DocumentChange change : changes) {
            long before = seen.getOrDefault(change.docId(), 0L);
            if (change.version() <= before) {
                stale++;
            } else {
                seen.put(change.docId(), change.version());
            }
        }
        return stale;
    }
}
