package dev.flinkrag.testing;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkIds;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.lucene.LuceneIndex;
import dev.flinkrag.lucene.LuceneIndexes;
import dev.flinkrag.lucene.StoredEntry;
import dev.flinkrag.pgvector.PgVectorText;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/** What a from-scratch index of the final documents holds, and what a Lucene index actually holds. */
public final class IndexOracle {

    private IndexOracle() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One expected or stored entry, in a form that compares by value (vectors as lists). */
    public record Entry(String text, Map<String, Object> metadata, List<Float> vector) {}

    public static Map<String, Entry> fromScratch(
            Collection<DocumentChange> finalDocuments, Function<String, List<String>> splitter,
            Function<String, float[]> embed) {
        Map<String, Entry> expected = new TreeMap<>();
        for (DocumentChange document : finalDocuments) {
            if (document.kind() == DocumentChange.Kind.DELETE) {
                continue;
            }
            List<String> texts = splitter.apply(document.text());
            List<UUID> ids = ChunkIds.of(document.docId(), texts);
            for (int ordinal = 0; ordinal < texts.size(); ordinal++) {
                Map<String, Object> metadata = new HashMap<>(document.metadata());
                metadata.put(ChunkChange.DOC_ID, document.docId());
                metadata.put(ChunkChange.ORDINAL, ordinal);
                expected.put(ids.get(ordinal).toString(),
                        new Entry(texts.get(ordinal), metadata, boxed(embed.apply(texts.get(ordinal)))));
            }
        }
        return expected;
    }

    public static Map<String, Entry> stored(Path indexPath) throws IOException {
        LuceneIndex index = LuceneIndexes.acquire(indexPath);
        try {
            Map<String, Entry> stored = new TreeMap<>();
            for (StoredEntry entry : index.all()) {
                stored.put(entry.id(), new Entry(entry.text(), entry.metadata(), boxed(entry.vector())));
            }
            return stored;
        } finally {
            LuceneIndexes.release(index);
        }
    }

    /**
     * The entries of a pgvector sink's table (default column names), each with its document's metadata and position
     * where the table of document records ({@code <table>_documents}) holds them; none before the sink created it.
     */
    public static Map<String, Entry> storedInPgVector(String jdbcUrl, String table) throws Exception {
        Map<String, Entry> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement statement = connection.createStatement()) {
            ResultSet exists = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL");
            exists.next();
            if (!exists.getBoolean(1)) {
                return rows;
            }
            ResultSet documents = statement.executeQuery("SELECT to_regclass('" + table + "_documents') IS NOT NULL");
            documents.next();
            String query = documents.getBoolean(1)
                    ? "SELECT c.id, c.text, (coalesce(d.metadata, '{}') || c.metadata || CASE WHEN d.doc_id IS NULL THEN "
                            + "'{}' ELSE jsonb_build_object('ordinal', array_position(d.entry_ids, c.id) - 1) END)::text, "
                            + "c.embedding::text FROM " + table + " c LEFT JOIN " + table + "_documents d ON d.doc_id = "
                            + "c.metadata ->> 'doc_id'"
                    : "SELECT id, text, metadata::text, embedding::text FROM " + table;
            ResultSet result = statement.executeQuery(query);
            while (result.next()) {
                Map<String, Object> metadata = JSON.readValue(result.getString(3), new TypeReference<>() {});
                rows.put(result.getString(1), new Entry(result.getString(2), metadata,
                        boxed(PgVectorText.parse(result.getString(4)))));
            }
        }
        return rows;
    }

    public static List<Float> boxed(float[] vector) {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return List.of(boxed);
    }
}
