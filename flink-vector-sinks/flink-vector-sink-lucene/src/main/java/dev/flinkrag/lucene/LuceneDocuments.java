package dev.flinkrag.lucene;

import dev.flinkrag.sink.VectorOperation;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The layout of one stored entry: id, text, vector (searchable and stored, so metadata-only updates
 * can rewrite an entry without re-embedding it) and typed metadata.
 *
 * <p>Each metadata value is stored under {@code meta.<key>} with its Java type ({@code meta_uuid.<key>}
 * for UUIDs, which Lucene stores as strings), and indexed for filters
 * under a field named by its type ({@code meta_s.}, {@code meta_l.}, {@code meta_d.}), because Lucene
 * refuses one field name with two index schemas.
 */
final class LuceneDocuments {

    static final String ID = "id";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String VECTOR_BYTES = "vector_bytes";
    static final String META = "meta.";
    static final String META_UUID = "meta_uuid.";
    static final String META_STRING = "meta_s.";
    static final String META_LONG = "meta_l.";
    static final String META_DOUBLE = "meta_d.";

    private LuceneDocuments() {}

    static Document toDocument(String id, String text, float[] vector, Map<String, Object> metadata) {
        Document document = new Document();
        document.add(new StringField(ID, id, Field.Store.YES));
        if (text != null) {
            document.add(new TextField(TEXT, text, Field.Store.YES));
        }
        document.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        document.add(new StoredField(VECTOR_BYTES, toBytes(vector)));
        metadata.forEach((key, value) -> addMetadata(document, id, key, value));
        return document;
    }

    static void addMetadata(Document document, String id, String key, Object value) {
        if (value instanceof String || value instanceof UUID) {
            String string = value.toString();
            document.add(new StoredField((value instanceof UUID ? META_UUID : META) + key, string));
            document.add(new StringField(META_STRING + key, string, Field.Store.NO));
        } else if (value instanceof Integer number) {
            document.add(new StoredField(META + key, number.intValue()));
            document.add(new LongPoint(META_LONG + key, number.longValue()));
        } else if (value instanceof Long number) {
            document.add(new StoredField(META + key, number.longValue()));
            document.add(new LongPoint(META_LONG + key, number));
        } else if (value instanceof Float number) {
            document.add(new StoredField(META + key, number.floatValue()));
            document.add(new DoublePoint(META_DOUBLE + key, number.doubleValue()));
        } else if (value instanceof Double number) {
            document.add(new StoredField(META + key, number.doubleValue()));
            document.add(new DoublePoint(META_DOUBLE + key, number));
        } else {
            throw new IllegalArgumentException(String.format(
                    "metadata key '%s' of id %s has unsupported type %s (use String, UUID, Integer, Long, Float or Double)",
                    key, id, value == null ? "null" : value.getClass().getName()));
        }
    }

    /** The entries of a {@link VectorOperation.Kind#RETAIN_ONLY}'s document that it does not retain. */
    static Query othersOfDocument(VectorOperation retain) {
        BooleanQuery.Builder query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(META_STRING + retain.documentField(), retain.id())), BooleanClause.Occur.FILTER)
                .add(LuceneDocumentRecords.RECORDS, BooleanClause.Occur.MUST_NOT);
        if (!retain.retainedIds().isEmpty()) {
            query.add(new TermInSetQuery(ID, retain.retainedIds().stream().map(BytesRef::new).toList()),
                    BooleanClause.Occur.MUST_NOT);
        }
        return query.build();
    }

    static StoredEntry toEntry(Document document) {
        BytesRef vectorBytes = document.getBinaryValue(VECTOR_BYTES);
        return new StoredEntry(document.get(ID), document.get(TEXT), toFloats(vectorBytes), metadataOf(document));
    }

    /** The typed metadata stored in an entry or a document record. */
    static Map<String, Object> metadataOf(Document document) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (IndexableField field : document.getFields()) {
            if (field.name().startsWith(META)) {
                Object value = field.numericValue() != null ? field.numericValue() : field.stringValue();
                metadata.put(field.name().substring(META.length()), value);
            } else if (field.name().startsWith(META_UUID)) {
                metadata.put(field.name().substring(META_UUID.length()), UUID.fromString(field.stringValue()));
            }
        }
        return metadata;
    }

    private static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    private static float[] toFloats(BytesRef bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
