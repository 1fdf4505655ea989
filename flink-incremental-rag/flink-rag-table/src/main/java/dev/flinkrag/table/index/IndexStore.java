package dev.flinkrag.table.index;

import dev.flinkrag.chunking.ChunkChange;
import dev.flinkrag.lucene.LuceneSink;
import dev.flinkrag.lucene.LuceneSinkOptions;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.pgvector.PgVectorSink;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.VectorSinkFactory;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stores a {@code rag-index} table writes into, each with the options it reads. The index owns the store's
 * layout (default column names, document records, the model's dimension), so column and dimension options of the
 * store's own connector do not apply here.
 */
@PublicEvolving
public enum IndexStore {

    /** A PostgreSQL + pgvector table, with its document records table beside it. */
    PGVECTOR(List.of(PostgresConnectionOptions.URL, PostgresConnectionOptions.USERNAME, PgVectorOptions.TABLE_NAME),
            List.of(PostgresConnectionOptions.PASSWORD, PostgresConnectionOptions.PASSWORD_ENV,
                    PgVectorOptions.CREATE_TABLE, PgVectorOptions.HNSW_ENABLED, PgVectorOptions.HNSW_DISTANCE,
                    PgVectorOptions.HNSW_M, PgVectorOptions.HNSW_EF_CONSTRUCTION, PgVectorOptions.TEXT_INDEX_ENABLED,
                    PgVectorOptions.METADATA_MAX_SIZE, PgVectorOptions.DOCUMENTS_TABLE, BufferedWriteOptions.RETRIES_MAX,
                    BufferedWriteOptions.RETRIES_INITIAL_BACKOFF, BufferedWriteOptions.RETRIES_MAX_BACKOFF)) {
        @Override
        VectorSinkFactory<ChunkChange> create(ReadableConfig options) {
            return PgVectorSink.<ChunkChange>builder()
                    .options(PgVectorOptions.fromConfiguration(options))
                    .writeOptions(BufferedWriteOptions.fromConfiguration(options));
        }
    },

    /** An embedded Lucene HNSW index on the TaskManager's disk (one writer: the sink runs with parallelism 1). */
    LUCENE(List.of(LuceneSinkOptions.PATH), List.of()) {
        @Override
        VectorSinkFactory<ChunkChange> create(ReadableConfig options) {
            return LuceneSink.<ChunkChange>builder()
                    .indexPath(Path.of(options.get(LuceneSinkOptions.PATH)))
                    .maxBufferedOperations(options.get(BufferedWriteOptions.BUFFER_FLUSH_MAX_ROWS))
                    .flushInterval(options.get(BufferedWriteOptions.BUFFER_FLUSH_INTERVAL))
                    .linger(options.get(BufferedWriteOptions.BUFFER_FLUSH_LINGER));
        }
    };

    /** How every store's writer flushes. */
    public static final List<ConfigOption<?>> FLUSH = List.of(BufferedWriteOptions.BUFFER_FLUSH_MAX_ROWS,
            BufferedWriteOptions.BUFFER_FLUSH_INTERVAL, BufferedWriteOptions.BUFFER_FLUSH_LINGER);

    private final List<ConfigOption<?>> required;
    private final List<ConfigOption<?>> optional;

    IndexStore(List<ConfigOption<?>> required, List<ConfigOption<?>> optional) {
        this.required = required;
        this.optional = optional;
    }

    /**
     * The store's sink from a table's options, already checked against {@link #required()} and {@link #optional()}.
     * Only the store's own options and the flush options reach it: the table's {@code text-column} names its
     * input column, not the store's.
     */
    VectorSinkFactory<ChunkChange> sink(Map<String, String> tableOptions) {
        Configuration own = new Configuration();
        List<ConfigOption<?>> keys = new ArrayList<>(options());
        keys.addAll(FLUSH);
        for (ConfigOption<?> option : keys) {
            String value = tableOptions.get(option.key());
            if (value != null) {
                own.setString(option.key(), value);
            }
        }
        return create(own);
    }

    abstract VectorSinkFactory<ChunkChange> create(ReadableConfig options);

    List<ConfigOption<?>> required() {
        return required;
    }

    List<ConfigOption<?>> optional() {
        return optional;
    }

    /** The options this store reads from a {@code rag-index} table, required ones first. */
    public List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(required);
        all.addAll(optional);
        return all;
    }

    /** The options of every store, for the factory's option list. */
    static List<ConfigOption<?>> allOptions() {
        List<ConfigOption<?>> all = new ArrayList<>();
        for (IndexStore store : values()) {
            all.addAll(store.options());
        }
        return all;
    }
}
