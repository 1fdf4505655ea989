package dev.flinkrag.sink.table;

import dev.flinkrag.sink.VectorOperation;
import dev.flinkrag.sink.VectorOperationConverter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a changelog row of a vector sink table into a store operation: the PRIMARY KEY column is the id, the
 * text and vector columns come from the options, every other physical column becomes metadata. INSERT and
 * UPDATE_AFTER upsert (or, with a NULL vector, update text and metadata only); DELETE deletes.
 */
@Internal
public final class RowDataConverter implements VectorOperationConverter<RowData> {

    private static final long serialVersionUID = 1L;

    /** The column types a metadata column may have. */
    enum Kind { STRING, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE }

    private record Field(String name, int position, Kind kind) implements Serializable {}

    private final String idName;
    private final int idPosition;
    private final int textPosition;
    private final int vectorPosition;
    private final boolean doubleVector;
    private final List<Field> metadata;

    private RowDataConverter(String idName, int idPosition, int textPosition, int vectorPosition, boolean doubleVector,
            List<Field> metadata) {
        this.idName = idName;
        this.idPosition = idPosition;
        this.textPosition = textPosition;
        this.vectorPosition = vectorPosition;
        this.doubleVector = doubleVector;
        this.metadata = metadata;
    }

    /** Checks the table's schema against the options; errors name the column and the option. */
    public static RowDataConverter of(ResolvedSchema schema, String textColumn, String vectorColumn) {
        UniqueConstraint key = schema.getPrimaryKey().orElseThrow(() -> new ValidationException(
                "a vector sink table needs a PRIMARY KEY (the entry id), e.g. PRIMARY KEY (id) NOT ENFORCED"));
        if (key.getColumns().size() != 1) {
            throw new ValidationException("the PRIMARY KEY of a vector sink table must be one column, was "
                    + key.getColumns());
        }
        List<Column> columns = schema.getColumns().stream().filter(Column::isPhysical).toList();
        String idName = key.getColumns().get(0);
        int idPosition = position(columns, idName, "PRIMARY KEY");
        requireString(columns.get(idPosition), "PRIMARY KEY");
        int textPosition = position(columns, textColumn, VectorSinkConnectorOptions.TEXT_COLUMN.key());
        requireString(columns.get(textPosition), VectorSinkConnectorOptions.TEXT_COLUMN.key());
        int vectorPosition = position(columns, vectorColumn, VectorSinkConnectorOptions.VECTOR_COLUMN.key());
        LogicalType vectorType = columns.get(vectorPosition).getDataType().getLogicalType();
        LogicalTypeRoot element = vectorType instanceof ArrayType array ? array.getElementType().getTypeRoot() : null;
        if (element != LogicalTypeRoot.FLOAT && element != LogicalTypeRoot.DOUBLE) {
            throw new ValidationException("column '" + vectorColumn + "' (option '"
                    + VectorSinkConnectorOptions.VECTOR_COLUMN.key() + "') must be ARRAY<FLOAT> or ARRAY<DOUBLE>, was "
                    + vectorType);
        }
        List<Field> metadata = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (i != idPosition && i != textPosition && i != vectorPosition) {
                metadata.add(new Field(columns.get(i).getName(), i, metadataKind(columns.get(i))));
            }
        }
        return new RowDataConverter(idName, idPosition, textPosition, vectorPosition,
                element == LogicalTypeRoot.DOUBLE, metadata);
    }

    @Override
    public VectorOperation convert(RowData row) {
        String id = idOf(row);
        return switch (row.getRowKind()) {
            case DELETE -> VectorOperation.delete(id);
            case INSERT, UPDATE_AFTER -> {
                String text = row.isNullAt(textPosition) ? null : row.getString(textPosition).toString();
                Map<String, Object> values = metadataOf(row);
                yield row.isNullAt(vectorPosition) ? VectorOperation.updateMetadata(id, text, values)
                        : VectorOperation.upsert(id, text, vectorOf(row, id), values);
            }
            case UPDATE_BEFORE -> throw new IllegalArgumentException("row with id " + id
                    + " is an UPDATE_BEFORE, which an upsert sink does not take");
        };
    }

    @Override
    public String routingKeyOf(RowData row) {
        return idOf(row);
    }

    private String idOf(RowData row) {
        if (row.isNullAt(idPosition)) {
            throw new IllegalArgumentException("a row has a NULL primary key '" + idName + "'");
        }
        return row.getString(idPosition).toString();
    }

    private float[] vectorOf(RowData row, String id) {
        ArrayData array = row.getArray(vectorPosition);
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            if (array.isNullAt(i)) {
                throw new IllegalArgumentException("the vector of id " + id + " has a NULL at index " + i);
            }
            vector[i] = doubleVector ? (float) array.getDouble(i) : array.getFloat(i);
        }
        return vector;
    }

    private Map<String, Object> metadataOf(RowData row) {
        Map<String, Object> values = new HashMap<>();
        for (Field field : metadata) {
            if (row.isNullAt(field.position())) {
                continue;
            }
            int at = field.position();
            values.put(field.name(), switch (field.kind()) {
                case STRING -> row.getString(at).toString();
                case TINYINT -> (int) row.getByte(at);
                case SMALLINT -> (int) row.getShort(at);
                case INT -> row.getInt(at);
                case BIGINT -> row.getLong(at);
                case FLOAT -> row.getFloat(at);
                case DOUBLE -> row.getDouble(at);
            });
        }
        return values;
    }

    private static int position(List<Column> columns, String name, String option) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).getName().equals(name)) {
                return i;
            }
        }
        throw new ValidationException("the table has no physical column '" + name + "' (" + option + "); it has "
                + columns.stream().map(Column::getName).toList());
    }

    private static void requireString(Column column, String option) {
        LogicalTypeRoot root = column.getDataType().getLogicalType().getTypeRoot();
        if (root != LogicalTypeRoot.VARCHAR && root != LogicalTypeRoot.CHAR) {
            throw new ValidationException("column '" + column.getName() + "' (" + option + ") must be STRING, was "
                    + column.getDataType());
        }
    }

    static Kind metadataKind(Column column) {
        return switch (column.getDataType().getLogicalType().getTypeRoot()) {
            case CHAR, VARCHAR -> Kind.STRING;
            case TINYINT -> Kind.TINYINT;
            case SMALLINT -> Kind.SMALLINT;
            case INTEGER -> Kind.INT;
            case BIGINT -> Kind.BIGINT;
            case FLOAT -> Kind.FLOAT;
            case DOUBLE -> Kind.DOUBLE;
            default -> throw new ValidationException("metadata column '" + column.getName() + "' is "
                    + column.getDataType() + "; metadata columns must be STRING, TINYINT, SMALLINT, INT, BIGINT, "
                    + "FLOAT or DOUBLE");
        };
    }
}
