package dev.flinkrag.table.index;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.pipeline.IndexingPipeline;
import dev.flinkrag.sink.VectorSinkFactory;
import dev.flinkrag.source.changelog.ChangelogRowReader;
import dev.flinkrag.source.changelog.DocumentVersioning;
import dev.flinkrag.table.DocumentTableSchema;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.sink.DataStreamSinkProvider;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

/**
 * The whole indexing pipeline as an upsert table sink: the rows of any changelog of documents, keyed by document id,
 * become document versions ({@link DocumentVersioning}) and go through the same operators as a DataStream pipeline
 * (parse, edit-stable chunking, async batched embedding, the store's sink), so the index is exact and minimal in the
 * same way. Dead letters are logged and counted, and written to a table if one is named ({@link DeadLetterTap}).
 */
@Internal
final class RagIndexTableSink implements DynamicTableSink {

    private final IndexingPipeline pipeline;
    private final DocumentTableSchema schema;
    private final ParsingOptions parsing;
    private final ChunkingOptions chunking;
    private final EmbeddingModelProvider model;
    private final EmbeddingOptions embedding;
    private final VectorSinkFactory<ChunkChange> store;
    private final String summary;
    @Nullable private final DeadLetterTable deadLetters;

    RagIndexTableSink(IndexingPipeline pipeline, DocumentTableSchema schema, ParsingOptions parsing, ChunkingOptions chunking,
            EmbeddingModelProvider model, EmbeddingOptions embedding, VectorSinkFactory<ChunkChange> store,
            String summary, @Nullable DeadLetterTable deadLetters) {
        this.pipeline = pipeline;
        this.schema = schema;
        this.parsing = parsing;
        this.chunking = chunking;
        this.model = model;
        this.embedding = embedding;
        this.store = store;
        this.summary = summary;
        this.deadLetters = deadLetters;
    }

    /** Upserts and deletes by document id; an update's before-image carries nothing the index needs. */
    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.upsert(true);
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return (DataStreamSinkProvider) this::index;
    }

    private DataStreamSink<?> index(ProviderContext provider, DataStream<RowData> rows) {
        ChangelogRowReader<RowData> reader = schema.reader();
        DataStream<DocumentChange> changes = rows.keyBy(DocumentVersioning.keyOf(reader), Types.STRING)
                .process(new DocumentVersioning<>(reader), TypeInformation.of(DocumentChange.class))
                .name("document versions")
                .uid(pipeline.name() + "-versions");
        // dead letters are handled on the chunks' way: the planner keeps only what the returned sink depends on
        return pipeline
                .read(changes)
                .parse(parsing)
                .chunk(chunking)
                .embed(model, embedding)
                .handlingDeadLetters(new DeadLetterTap(pipeline.name(), deadLetters))
                .sinkTo(store);
    }

    @Override
    public DynamicTableSink copy() {
        return new RagIndexTableSink(pipeline, schema, parsing, chunking, model, embedding, store, summary,
                deadLetters);
    }

    @Override
    public String asSummaryString() {
        return summary;
    }
}
