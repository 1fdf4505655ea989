package dev.flinkrag.table;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.source.changelog.ChangelogRowReader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.types.RowKind;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of a document table: the one-column PRIMARY KEY is the document id, the text column holds the
 * document's text, every other physical column is a metadata field of the same name. Document tables write rows in
 * this layout ({@link #toRow}); the index table reads them ({@link #reader}). Metadata travels as text inside the
 * pipeline, as every source gives it, and is typed only at the table's edge.
 */
@Internal
public final class DocumentTableSchema implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The column types a metadata field may have. */
    enum Kind { STRING, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, TIMESTAMP, TIMESTAMP_LTZ }

    private record Field(String name, int position, Kind kind, int precision) implements Serializable {}

    private final String table;
    private final int arity;
    private final Field id;
    private final Field text;
    private final List<Field> metadata;

    private DocumentTableSchema(String table, int arity, Field id, Field text, List<Field> metadata) {
        this.table = table;
        this.arity = arity;
        this.id = id;
        this.text = text;
        this.metadata = metadata;
    }

    /**
     * Checks {@code schema}: a one-column STRING PRIMARY KEY, a STRING column {@code textColumn} (named by the option
     * {@code textOption}), and metadata columns of the supported types; each error names the table and the column.
     */
    public static DocumentTableSchema of(ObjectIdentifier table, ResolvedSchema schema, String textColumn,
            String textOption) {
        String name = table.asSummaryString();
        UniqueConstraint key = schema.getPrimaryKey().orElseThrow(() -> new ValidationException("table " + name
                + " needs a PRIMARY KEY (the document id), e.g. PRIMARY KEY (doc_id) NOT ENFORCED"));
        if (key.getColumns().size() != 1) {
            throw new ValidationException("the PRIMARY KEY of table " + name + " must be one column (the document "
                    + "id), was " + key.getColumns());
        }
        List<Column> columns = schema.getColumns().stream().filter(Column::isPhysical).toList();
        Field id = null;
        Field text = null;
        List<Field> metadata = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            LogicalType type = column.getDataType().getLogicalType();
            if (column.getName().equals(key.getColumns().get(0))) {
                id = new Field(column.getName(), i, requireString(name, column, "the PRIMARY KEY"), 0);
            } else if (column.getName().equals(textColumn)) {
                text = new Field(column.getName(), i, requireString(name, column, "option '" + textOption + "'"), 0);
            } else {
                metadata.add(new Field(column.getName(), i, metadataKind(name, column), precisionOf(type)));
            }
        }
        if (text == null) {
            throw new ValidationException("table " + name + " has no physical column '" + textColumn + "' (option '"
                    + textOption + "', the document's text); it has "
                    + columns.stream().map(Column::getName).toList());
        }
        return new DocumentTableSchema(name, columns.size(), id, text, metadata);
    }

    public String idColumn() {
        return id.name();
    }

    public String textColumn() {
        return text.name();
    }

    public List<String> metadataColumns() {
        return metadata.stream().map(Field::name).toList();
    }

    /** The row of a document's current content, with {@code kind} {@code INSERT} or {@code UPDATE_AFTER}. */
    public RowData toRow(DocumentChange document, RowKind kind) {
        GenericRowData row = new GenericRowData(kind, arity);
        row.setField(id.position(), StringData.fromString(document.docId()));
        row.setField(text.position(), StringData.fromString(document.text()));
        for (Field field : metadata) {
            String value = document.metadata().get(field.name());
            if (value != null) {
                row.setField(field.position(), parse(document.docId(), field, value));
            }
        }
        return row;
    }

    /** The row that deletes a document: only its key is set, as an upsert changelog's deletes are. */
    public RowData deletion(String docId) {
        GenericRowData row = new GenericRowData(RowKind.DELETE, arity);
        row.setField(id.position(), StringData.fromString(docId));
        return row;
    }

    /** Reads rows of this layout as documents. */
    public ChangelogRowReader<RowData> reader() {
        return new Reader(this);
    }

    private Object parse(String docId, Field field, String value) {
        try {
            return switch (field.kind()) {
                case STRING -> StringData.fromString(value);
                case BOOLEAN -> switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "t" -> true;
                    case "false", "f" -> false;
                    default -> throw new IllegalArgumentException("not a boolean");
                };
                case TINYINT -> Byte.parseByte(value.trim());
                case SMALLINT -> Short.parseShort(value.trim());
                case INT -> Integer.parseInt(value.trim());
                case BIGINT -> Long.parseLong(value.trim());
                case FLOAT -> Float.parseFloat(value.trim());
                case DOUBLE -> Double.parseDouble(value.trim());
                case TIMESTAMP -> TimestampData.fromLocalDateTime(localDateTime(value.trim()));
                case TIMESTAMP_LTZ -> TimestampData.fromInstant(instant(value.trim()));
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MetadataValueException("document " + docId + " (table " + table + "): metadata '"
                    + field.name() + "' is '" + abbreviate(value) + "', which is not a " + field.kind()
                    + " value for column '" + field.name() + "'");
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return localDateTime(value).toInstant(ZoneOffset.UTC);
        }
    }

    private static LocalDateTime localDateTime(String value) {
        try {
            return LocalDateTime.parse(value.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return LocalDateTime.ofInstant(Instant.parse(value), ZoneOffset.UTC);
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }

    private static Kind requireString(String table, Column column, String role) {
        if (metadataKind(table, column) != Kind.STRING) {
            throw new ValidationException("column '" + column.getName() + "' of table " + table + " (" + role
                    + ") must be STRING, was " + column.getDataType());
        }
        return Kind.STRING;
    }

    private static int precisionOf(LogicalType type) {
        if (type instanceof TimestampType timestamp) {
            return timestamp.getPrecision();
        }
        return type instanceof LocalZonedTimestampType timestamp ? timestamp.getPrecision() : 0;
    }

    private static Kind metadataKind(String table, Column column) {
        return switch (column.getDataType().getLogicalType().getTypeRoot()) {
            case CHAR, VARCHAR -> Kind.STRING;
            case BOOLEAN -> Kind.BOOLEAN;
            case TINYINT -> Kind.TINYINT;
            case SMALLINT -> Kind.SMALLINT;
            case INTEGER -> Kind.INT;
            case BIGINT -> Kind.BIGINT;
            case FLOAT -> Kind.FLOAT;
            case DOUBLE -> Kind.DOUBLE;
            case TIMESTAMP_WITHOUT_TIME_ZONE -> Kind.TIMESTAMP;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Kind.TIMESTAMP_LTZ;
            default -> throw new ValidationException("column '" + column.getName() + "' of table " + table + " is "
                    + column.getDataType() + "; metadata columns must be STRING, BOOLEAN, TINYINT, SMALLINT, INT, "
                    + "BIGINT, FLOAT, DOUBLE, TIMESTAMP or TIMESTAMP_LTZ");
        };
    }

    /** A metadata value that does not fit its column's type: the document is dead-lettered, naming both. */
    public static final class MetadataValueException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MetadataValueException(String message) {
            super(message);
        }
    }

    private record Reader(DocumentTableSchema schema) implements ChangelogRowReader<RowData> {

        @Override
        public String idOf(RowData row) {
            return row.isNullAt(schema.id.position()) ? null : row.getString(schema.id.position()).toString();
        }

        @Override
        public RowKind kindOf(RowData row) {
            return row.getRowKind();
        }

        @Override
        public String textOf(RowData row) {
            return row.isNullAt(schema.text.position()) ? null : row.getString(schema.text.position()).toString();
        }

        @Override
        public Map<String, String> metadataOf(RowData row) {
            Map<String, String> values = new HashMap<>();
            for (Field field : schema.metadata) {
                int at = field.position();
                if (row.isNullAt(at)) {
                    continue;
                }
                values.put(field.name(), switch (field.kind()) {
                    case STRING -> row.getString(at).toString();
                    case BOOLEAN -> String.valueOf(row.getBoolean(at));
                    case TINYINT -> String.valueOf(row.getByte(at));
                    case SMALLINT -> String.valueOf(row.getShort(at));
                    case INT -> String.valueOf(row.getInt(at));
                    case BIGINT -> String.valueOf(row.getLong(at));
                    case FLOAT -> String.valueOf(row.getFloat(at));
                    case DOUBLE -> String.valueOf(row.getDouble(at));
                    case TIMESTAMP -> row.getTimestamp(at, field.precision()).toLocalDateTime().toString();
                    case TIMESTAMP_LTZ -> row.getTimestamp(at, field.precision()).toInstant().toString();
                });
            }
            return values;
        }

        @Override
        public String idColumn() {
            return schema.id.name();
        }

        @Override
        public String textColumn() {
            return schema.text.name();
        }
    }
}
