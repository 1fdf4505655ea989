package dev.flinkrag.table;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.testing.DocumentHistory;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A random document history as a full SQL changelog (INSERT, UPDATE_BEFORE + UPDATE_AFTER, DELETE with the old
 * row), as a CDC table emits it, with columns {@code id, body, title, path}. A changelog has no versions: the last
 * row of an id is the document, so a history's stale re-sends are ordinary updates here.
 */
public final class DocumentRowHistory {

    public static final TypeInformation<Row> ROW_TYPE = Types.ROW_NAMED(
            new String[] {"id", "body", "title", "path"}, Types.STRING, Types.STRING, Types.STRING, Types.STRING);

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Row> current = new LinkedHashMap<>();
    private final List<String> upsertedTexts = new ArrayList<>();

    public DocumentRowHistory(List<DocumentChange> changes) {
        for (DocumentChange change : changes) {
            Row before = current.get(change.docId());
            if (change.kind() == DocumentChange.Kind.DELETE) {
                if (before != null) {
                    rows.add(withKind(before, RowKind.DELETE));
                    current.remove(change.docId());
                }
                continue;
            }
            Row after = Row.ofKind(RowKind.INSERT, change.docId(), change.text(), change.metadata().get("title"),
                    change.metadata().get("path"));
            if (before == null) {
                rows.add(after);
            } else {
                rows.add(withKind(before, RowKind.UPDATE_BEFORE));
                rows.add(withKind(after, RowKind.UPDATE_AFTER));
            }
            current.put(change.docId(), after);
            upsertedTexts.add(change.text());
        }
    }

    public static DocumentRowHistory random(long seed, int documents, int steps) {
        return new DocumentRowHistory(DocumentHistory.random(seed, documents, steps).changes());
    }

    public List<Row> rows() {
        return rows;
    }

    /** The documents the changelog ends with, for the from-scratch oracle. */
    public List<DocumentChange> finalDocuments() {
        List<DocumentChange> documents = new ArrayList<>();
        current.forEach((id, row) -> documents.add(DocumentChange.upsert(id, 1, (String) row.getField(1),
                Map.of("title", (String) row.getField(2), "path", (String) row.getField(3)))));
        return documents;
    }

    /** Every text a document had at some point: the most a minimal index may embed. */
    public List<String> upsertedTexts() {
        return upsertedTexts;
    }

    private static Row withKind(Row row, RowKind kind) {
        Row copy = Row.copy(row);
        copy.setKind(kind);
        return copy;
    }
}
