package dev.flinkrag.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.List;
import java.util.Map;

/** A table sink as the planner creates it from a {@code CREATE TABLE}, without a planner. */
public final class TableSinks {

    /** {@code id STRING NOT NULL, text STRING, embedding ARRAY<FLOAT>, doc_id STRING, PRIMARY KEY (id)}. */
    public static final ResolvedSchema CHUNKS = new ResolvedSchema(List.of(
            Column.physical("id", DataTypes.STRING().notNull()),
            Column.physical("text", DataTypes.STRING()),
            Column.physical("embedding", DataTypes.ARRAY(DataTypes.FLOAT())),
            Column.physical("doc_id", DataTypes.STRING())),
            List.of(), UniqueConstraint.primaryKey("pk", List.of("id")));

    private TableSinks() {}

    public static DynamicTableSink create(DynamicTableSinkFactory factory, Map<String, String> options) {
        CatalogTable table = CatalogTable.newBuilder()
                .schema(Schema.newBuilder().fromResolvedSchema(CHUNKS).build())
                .options(options)
                .build();
        return FactoryUtil.createDynamicTableSink(factory, ObjectIdentifier.of("catalog", "db", "chunks"),
                new ResolvedCatalogTable(table, CHUNKS), Map.of(), new Configuration(),
                TableSinks.class.getClassLoader(), false);
    }
}
