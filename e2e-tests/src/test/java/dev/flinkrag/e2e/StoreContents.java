package dev.flinkrag.e2e;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a store holds, read with the store's own client (plain SQL, plain Lucene) and flattened to comparable
 * strings by key: {@code entry <id>} for each chunk and {@code document <doc id>} for each document record. Two stores
 * hold the same when these maps are equal; {@link #duplicates} counts keys held more than once.
 */
record StoreContents(Map<String, String> byKey, int duplicates) {

    /** The commit-time figures of a Lucene index's state record, which differ between two equal indexes. */
    private static final String STATE_FIELDS = "state_";

    static StoreContents ofPgVector(String url, String table) throws SQLException {
        Map<String, String> byKey = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            ResultSet exists = statement.executeQuery("SELECT to_regclass('" + table + "_documents') IS NOT NULL");
            exists.next();
            if (!exists.getBoolean(1)) {
                return new StoreContents(byKey, 0);
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT id, text, metadata::text, embedding::text FROM " + table)) {
                while (rows.next()) {
                    byKey.put("entry " + rows.getString(1), "text=" + rows.getString(2) + " metadata="
                            + rows.getString(3) + " vector=" + rows.getString(4));
                }
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT doc_id, metadata::text, array_to_string(entry_ids, ',') FROM " + table + "_documents")) {
                while (rows.next()) {
                    byKey.put("document " + rows.getString(1), "metadata=" + rows.getString(2) + " entries="
                            + rows.getString(3));
                }
            }
        }
        // primary keys: a table cannot hold an id twice
        return new StoreContents(byKey, 0);
    }

    static StoreContents ofLucene(Path directory) throws IOException {
        Map<String, String> byKey = new TreeMap<>();
        int duplicates = 0;
        if (!Files.isDirectory(directory)) {
            return new StoreContents(byKey, 0);
        }
        try (FSDirectory index = FSDirectory.open(directory); DirectoryReader reader = DirectoryReader.open(index)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                LeafReader segment = leaf.reader();
                Bits live = segment.getLiveDocs();
                StoredFields stored = segment.storedFields();
                for (int doc = 0; doc < segment.maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document document = stored.document(doc);
                    String key = document.get("id") != null ? "entry " + document.get("id")
                            : document.get("document_id") != null ? "document " + document.get("document_id") : null;
                    if (key != null && byKey.put(key, flatten(document)) != null) {
                        duplicates++;
                    }
                }
            }
        }
        return new StoreContents(byKey, duplicates);
    }

    private static String flatten(Document document) {
        Map<String, List<String>> fields = new TreeMap<>();
        for (IndexableField field : document.getFields()) {
            if (field.name().startsWith(STATE_FIELDS)) {
                continue;
            }
            String value = field.binaryValue() != null
                    ? Base64.getEncoder().encodeToString(Arrays.copyOfRange(field.binaryValue().bytes,
                            field.binaryValue().offset, field.binaryValue().offset + field.binaryValue().length))
                    : field.numericValue() != null ? field.numericValue().toString() : field.stringValue();
            fields.computeIfAbsent(field.name(), name -> new ArrayList<>()).add(value);
        }
        return fields.toString();
    }

    Set<String> entryIds() {
        Set<String> ids = new HashSet<>();
        byKey.keySet().stream().filter(key -> key.startsWith("entry ")).forEach(key -> ids.add(key.substring(6)));
        return ids;
    }

    /** How this store differs from {@code expected}: keys missing, keys extra, keys whose contents differ. */
    Difference against(StoreContents expected) {
        Set<String> missing = new HashSet<>(expected.byKey.keySet());
        missing.removeAll(byKey.keySet());
        Set<String> extra = new HashSet<>(byKey.keySet());
        extra.removeAll(expected.byKey.keySet());
        Set<String> differing = new HashSet<>();
        for (Map.Entry<String, String> entry : byKey.entrySet()) {
            String wanted = expected.byKey.get(entry.getKey());
            if (wanted != null && !wanted.equals(entry.getValue())) {
                differing.add(entry.getKey());
            }
        }
        return new Difference(expected.byKey.size(), missing, extra, differing, duplicates);
    }

    record Difference(int expected, Set<String> missing, Set<String> extra, Set<String> differing, int duplicates) {

        boolean none() {
            return missing.isEmpty() && extra.isEmpty() && differing.isEmpty() && duplicates == 0;
        }

        @Override
        public String toString() {
            return expected + " expected keys; " + missing.size() + " missing " + sample(missing) + ", " + extra.size()
                    + " extra " + sample(extra) + ", " + differing.size() + " differing " + sample(differing) + ", "
                    + duplicates + " duplicate";
        }

        private static List<String> sample(Set<String> keys) {
            return keys.stream().sorted().limit(3).toList();
        }
    }
}
