package dev.flinkrag.table.source;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.parsing.DocumentParsingFunction;
import dev.flinkrag.parsing.ParseFailureRouter;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.table.DocumentTableSchema;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

import javax.annotation.Nullable;

import java.util.concurrent.TimeUnit;

/**
 * A document source as an upsert changelog table keyed by document id: upserts become INSERT (first) or
 * UPDATE_AFTER rows, deletes key-only DELETE rows. Raw content is parsed inside the source when {@code parsing} is
 * set, so the table's text column always holds text; a document that cannot be read is logged, counted and
 * deleted from the table. Every document's changes pass one keyed step
 * ({@link DocumentRowEmitter}), so the table's rows of one document come from one subtask, in order.
 */
@Internal
final class DocumentTableSource implements ScanTableSource {

    private final Source<DocumentChange, ?, ?> source;
    private final String name;
    private final DocumentTableSchema schema;
    private final DataType rowType;
    @Nullable private final ParsingOptions parsing;

    DocumentTableSource(Source<DocumentChange, ?, ?> source, String name, DocumentTableSchema schema, DataType rowType,
            @Nullable ParsingOptions parsing) {
        this.source = source;
        this.name = name;
        this.schema = schema;
        this.rowType = rowType;
        this.parsing = parsing;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.upsert(true);
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        TypeInformation<RowData> rows = context.createTypeInformation(rowType);
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(ProviderContext provider, StreamExecutionEnvironment env) {
                return rows(provider, env, rows);
            }

            @Override
            public boolean isBounded() {
                return source.getBoundedness() == Boundedness.BOUNDED;
            }
        };
    }

    private DataStream<RowData> rows(ProviderContext provider, StreamExecutionEnvironment env,
            TypeInformation<RowData> rows) {
        DataStreamSource<DocumentChange> read = env.fromSource(source, WatermarkStrategy.noWatermarks(), name,
                TypeInformation.of(DocumentChange.class));
        provider.generateUid("source").ifPresent(read::uid);
        DataStream<DocumentChange> documents = read;
        if (parsing != null) {
            SingleOutputStreamOperator<DocumentChange> parsed = AsyncDataStream.unorderedWait(read,
                            new DocumentParsingFunction(parsing), parsing.timeout().toMillis(), TimeUnit.MILLISECONDS,
                            parsing.maxConcurrentDocuments())
                    .setParallelism(read.getParallelism())
                    .name("parse documents");
            provider.generateUid("parse-async").ifPresent(parsed::uid);
            documents = parsed;
        }
        // unreadable documents are logged and counted by the router and leave the table as deletes
        SingleOutputStreamOperator<DocumentChange> readable = documents.process(new ParseFailureRouter())
                .setParallelism(read.getParallelism())
                .name("unreadable documents");
        provider.generateUid("unreadable").ifPresent(readable::uid);
        SingleOutputStreamOperator<RowData> table = readable.keyBy(DocumentChange::docId, Types.STRING)
                .process(new DocumentRowEmitter(schema), rows)
                .name("document rows");
        provider.generateUid("rows").ifPresent(table::uid);
        return table;
    }

    @Override
    public DynamicTableSource copy() {
        return new DocumentTableSource(source, name, schema, rowType, parsing);
    }

    @Override
    public String asSummaryString() {
        return name;
    }
}
