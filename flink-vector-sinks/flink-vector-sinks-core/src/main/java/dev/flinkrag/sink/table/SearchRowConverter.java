package dev.flinkrag.sink.table;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a store's search match back into a row of its vector table, in the layout {@link RowDataConverter} writes:
 * the PRIMARY KEY column is the entry id, the text and vector columns come from the options, every other physical
 * column is the metadata field of its name (NULL where the entry has none). {@code VECTOR_SEARCH} adds the score.
 */
@Internal
public final class SearchRowConverter implements Serializable {

    private static final long serialVersionUID = 1L;

    private record Field(String name, RowDataConverter.Kind kind) implements Serializable {}

    private final int arity;
    private final int idPosition;
    private final int textPosition;
    private final int vectorPosition;
    private final boolean doubleVector;
    private final Map<Integer, Field> metadata;

    private SearchRowConverter(int arity, int idPosition, int textPosition, int vectorPosition, boolean doubleVector,
            Map<Integer, Field> metadata) {
        this.arity = arity;
        this.idPosition = idPosition;
        this.textPosition = textPosition;
        this.vectorPosition = vectorPosition;
        this.doubleVector = doubleVector;
        this.metadata = metadata;
    }

    /** The same checks as the sink's ({@link RowDataConverter#of}), so a table that can be written can be searched. */
    public static SearchRowConverter of(ResolvedSchema schema, String textColumn, String vectorColumn) {
        RowDataConverter.of(schema, textColumn, vectorColumn);
        List<Column> columns = schema.getColumns().stream().filter(Column::isPhysical).toList();
        List<String> names = columns.stream().map(Column::getName).toList();
        int id = names.indexOf(schema.getPrimaryKey().orElseThrow().getColumns().get(0));
        int text = names.indexOf(textColumn);
        int vector = names.indexOf(vectorColumn);
        boolean doubleVector = ((ArrayType) columns.get(vector).getDataType().getLogicalType()).getElementType()
                .getTypeRoot() == LogicalTypeRoot.DOUBLE;
        Map<Integer, Field> metadata = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (i != id && i != text && i != vector) {
                metadata.put(i, new Field(names.get(i), RowDataConverter.metadataKind(columns.get(i))));
            }
        }
        return new SearchRowConverter(columns.size(), id, text, vector, doubleVector, metadata);
    }

    /** The position of the vector column, the one {@code VECTOR_SEARCH} may search. */
    public int vectorPosition() {
        return vectorPosition;
    }

    /** Whether the vector column is {@code ARRAY<DOUBLE>} (else {@code ARRAY<FLOAT>}). */
    public boolean doubleVector() {
        return doubleVector;
    }

    /** The match as a row of the table, followed by its score. */
    public RowData toRow(EmbeddingMatch<TextSegment> match) {
        GenericRowData row = new GenericRowData(arity);
        row.setField(idPosition, StringData.fromString(match.embeddingId()));
        TextSegment segment = match.embedded();
        if (segment != null) {
            row.setField(textPosition, StringData.fromString(segment.text()));
            Map<String, Object> values = segment.metadata().toMap();
            metadata.forEach((position, field) -> row.setField(position, value(field, values.get(field.name()))));
        }
        if (match.embedding() != null) {
            float[] vector = match.embedding().vector();
            if (doubleVector) {
                double[] widened = new double[vector.length];
                for (int i = 0; i < vector.length; i++) {
                    widened[i] = vector[i];
                }
                row.setField(vectorPosition, new GenericArrayData(widened));
            } else {
                row.setField(vectorPosition, new GenericArrayData(vector));
            }
        }
        return new JoinedRowData(row, GenericRowData.of(match.score()));
    }

    private static Object value(Field field, Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        try {
            return switch (field.kind()) {
                case STRING -> StringData.fromString(text);
                case TINYINT -> value instanceof Number n ? n.byteValue() : Byte.parseByte(text);
                case SMALLINT -> value instanceof Number n ? n.shortValue() : Short.parseShort(text);
                case INT -> value instanceof Number n ? n.intValue() : Integer.parseInt(text);
                case BIGINT -> value instanceof Number n ? n.longValue() : Long.parseLong(text);
                case FLOAT -> value instanceof Number n ? n.floatValue() : Float.parseFloat(text);
                case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
            };
        } catch (NumberFormatException e) {
            return null; // a value another writer stored under this name that is not of the column's type
        }
    }
}
