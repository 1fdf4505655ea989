package dev.flinkrag.sink.table;

import dev.flinkrag.sink.VectorOperation;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowDataConverterTest {

    private static ResolvedSchema schema(List<Column> columns, String... key) {
        return new ResolvedSchema(columns, List.of(),
                key.length == 0 ? null : UniqueConstraint.primaryKey("pk", List.of(key)));
    }

    private static final ResolvedSchema CHUNKS = schema(List.of(
            Column.physical("id", DataTypes.STRING().notNull()),
            Column.physical("text", DataTypes.STRING()),
            Column.physical("embedding", DataTypes.ARRAY(DataTypes.FLOAT())),
            Column.physical("doc_id", DataTypes.STRING()),
            Column.physical("ordinal", DataTypes.INT()),
            Column.physical("score", DataTypes.DOUBLE())), "id");

    private final RowDataConverter converter = RowDataConverter.of(CHUNKS, "text", "embedding");

    private static GenericRowData row(RowKind kind, String id, String text, Float[] vector, String doc, Integer ordinal) {
        GenericRowData row = GenericRowData.ofKind(kind, StringData.fromString(id), StringData.fromString(text),
                vector == null ? null : new GenericArrayData(vector), StringData.fromString(doc), ordinal, null);
        return row;
    }

    @Test
    void insertsAndUpdatesAreUpsertsWithEveryOtherColumnAsMetadataNullsLeftOut() {
        VectorOperation upsert = converter.convert(row(RowKind.INSERT, "c1", "Text.", new Float[] {1f, 2f}, "a.md", 3));
        assertThat(upsert.kind()).isEqualTo(VectorOperation.Kind.UPSERT);
        assertThat(upsert.id()).isEqualTo("c1");
        assertThat(upsert.vector()).containsExactly(1f, 2f);
        assertThat(upsert.metadata()).containsOnly(java.util.Map.entry("doc_id", "a.md"),
                java.util.Map.entry("ordinal", 3));
        assertThat(converter.convert(row(RowKind.UPDATE_AFTER, "c1", "T", new Float[] {1f}, "a.md", 3)).kind())
                .isEqualTo(VectorOperation.Kind.UPSERT);
    }

    @Test
    void aNullVectorUpdatesTextAndMetadataOnlyAndADeleteNeedsOnlyTheKey() {
        assertThat(converter.convert(row(RowKind.INSERT, "c1", "Text.", null, "a.md", 3)).kind())
                .isEqualTo(VectorOperation.Kind.UPDATE_METADATA);
        assertThat(converter.convert(row(RowKind.DELETE, "c1", null, null, null, null)).kind())
                .isEqualTo(VectorOperation.Kind.DELETE);
        assertThat(converter.routingKeyOf(row(RowKind.DELETE, "c1", null, null, null, null))).isEqualTo("c1");
    }

    @Test
    void badRowsAreRefusedNamingTheIdAndColumn() {
        assertThatThrownBy(() -> converter.convert(row(RowKind.INSERT, null, "T", new Float[] {1f}, "a", 1)))
                .hasMessageContaining("NULL primary key 'id'");
        assertThatThrownBy(() -> converter.convert(row(RowKind.INSERT, "c1", "T", new Float[] {1f, null}, "a", 1)))
                .hasMessageContaining("vector of id c1 has a NULL at index 1");
        assertThatThrownBy(() -> converter.convert(row(RowKind.UPDATE_BEFORE, "c1", "T", null, "a", 1)))
                .hasMessageContaining("UPDATE_BEFORE");
    }

    @Test
    void aSchemaThatCannotHoldVectorsIsRefusedNamingColumnAndOption() {
        List<Column> columns = List.of(Column.physical("id", DataTypes.STRING().notNull()),
                Column.physical("text", DataTypes.STRING()), Column.physical("embedding", DataTypes.STRING()));
        assertThatThrownBy(() -> RowDataConverter.of(schema(columns), "text", "embedding"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("needs a PRIMARY KEY");
        assertThatThrownBy(() -> RowDataConverter.of(schema(columns, "id"), "text", "embedding"))
                .hasMessageContaining("column 'embedding' (option 'vector-column') must be ARRAY<FLOAT> or ARRAY<DOUBLE>");
        assertThatThrownBy(() -> RowDataConverter.of(schema(columns, "id"), "body", "embedding"))
                .hasMessageContaining("body").hasMessageContaining("text-column");
    }
}
