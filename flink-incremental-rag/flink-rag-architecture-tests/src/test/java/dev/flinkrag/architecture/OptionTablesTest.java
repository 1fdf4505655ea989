package dev.flinkrag.architecture;

import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentColumns;
import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.embedding.chat.ChatModelOptions;
import dev.flinkrag.langchain4j.SearchServerStore;
import dev.flinkrag.langchain4j.StoreOptions;
import dev.flinkrag.langchain4j.chroma.ChromaStore;
import dev.flinkrag.langchain4j.milvus.MilvusStore;
import dev.flinkrag.langchain4j.pinecone.PineconeStore;
import dev.flinkrag.langchain4j.qdrant.QdrantStore;
import dev.flinkrag.langchain4j.weaviate.WeaviateStore;
import dev.flinkrag.lucene.LuceneSinkOptions;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.postgres.PostgresConnectionOptions;
import dev.flinkrag.serving.ServingOptions;
import dev.flinkrag.serving.status.PipelineStatus;
import dev.flinkrag.serving.stream.QuestionAnsweringOptions;
import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.table.VectorSinkConnectorOptions;
import dev.flinkrag.source.folder.FolderSourceOptions;
import dev.flinkrag.source.kafka.KafkaDocumentsOptions;
import dev.flinkrag.source.postgres.PostgresDocumentSourceOptions;
import dev.flinkrag.table.index.IndexStore;
import dev.flinkrag.table.index.RagIndexOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The option tables of the docs/ pages against the {@link ConfigOption}s they describe: every option has a row whose
 * default column shows its default, and every row names an option that exists.
 */
class OptionTablesTest {

    private static final Path DOCS = Path.of("..", "..", "docs");

    /** A page (or one section of it, {@code null} for all) and the options its tables document. */
    private record Page(String file, String section, List<ConfigOption<?>> options) {
        Page(String file, List<ConfigOption<?>> options) {
            this(file, null, options);
        }

        @Override
        public String toString() {
            return section == null ? file : file + " / " + section;
        }
    }

    static Stream<Page> pages() {
        List<ConfigOption<?>> pgvector = new ArrayList<>(PostgresConnectionOptions.REQUIRED);
        pgvector.addAll(PostgresConnectionOptions.OPTIONAL);
        pgvector.addAll(PgVectorOptions.TABLE_OPTIONS);
        pgvector.remove(PgVectorOptions.ID_COLUMN); // in SQL the PRIMARY KEY column, in Java columns(…)
        pgvector.addAll(BufferedWriteOptions.OPTIONS);
        pgvector.add(FactoryUtil.SINK_PARALLELISM);
        List<ConfigOption<?>> searchServers = new ArrayList<>(constantsOf(SearchServerStore.class));
        searchServers.addAll(List.of(StoreOptions.API_KEY, StoreOptions.API_KEY_ENV, StoreOptions.INDEX));
        List<ConfigOption<?>> embedding = new ArrayList<>(constantsOf(EmbeddingOptions.class));
        embedding.addAll(constantsOf(EmbeddingModelOptions.class));
        return Stream.of(
                new Page("operations.md", constantsOf(ParsingOptions.class)),
                new Page("embedding.md", embedding),
                new Page("datastream.md", constantsOf(ChunkingOptions.class)),
                new Page("sources.md", sources()),
                new Page("sinks.md", "pgvector", pgvector),
                new Page("sinks.md", "Lucene", List.of(LuceneSinkOptions.PATH, VectorSinkConnectorOptions.TEXT_COLUMN,
                        VectorSinkConnectorOptions.VECTOR_COLUMN, BufferedWriteOptions.BUFFER_FLUSH_MAX_ROWS,
                        BufferedWriteOptions.BUFFER_FLUSH_INTERVAL, BufferedWriteOptions.BUFFER_FLUSH_LINGER)),
                store("QdrantStore", QdrantStore.class, StoreOptions.API_KEY, StoreOptions.API_KEY_ENV,
                        StoreOptions.COLLECTION),
                store("WeaviateStore", WeaviateStore.class, StoreOptions.API_KEY, StoreOptions.API_KEY_ENV),
                store("MilvusStore", MilvusStore.class, StoreOptions.COLLECTION),
                store("PineconeStore", PineconeStore.class, StoreOptions.API_KEY, StoreOptions.API_KEY_ENV,
                        StoreOptions.INDEX),
                store("ChromaStore", ChromaStore.class, StoreOptions.COLLECTION),
                new Page("sinks.md", "ElasticsearchStore and OpenSearchStore", searchServers),
                new Page("sql.md", "document-folder", documentFolder()),
                new Page("sql.md", "postgres-documents", postgresDocuments()),
                new Page("sql.md", "One-statement indexing: rag-index", ragIndex()),
                new Page("serving.md", "Options", ServingOptions.OPTIONS),
                new Page("serving.md", "Chat options", ChatModelOptions.ALL),
                new Page("serving.md", "Status page", PipelineStatus.OPTIONS),
                new Page("serving.md", "Live Q&A as a stream", QuestionAnsweringOptions.ALL));
    }

    private static Page store(String section, Class<?> store, ConfigOption<?>... shared) {
        List<ConfigOption<?>> options = new ArrayList<>(constantsOf(store));
        options.addAll(List.of(shared));
        return new Page("sinks.md", section, options);
    }

    private static List<ConfigOption<?>> documentFolder() {
        List<ConfigOption<?>> options = new ArrayList<>(FolderSourceOptions.options());
        options.add(DocumentColumns.TEXT_COLUMN);
        options.addAll(ParsingOptions.options());
        return options;
    }

    /** Id and metadata columns are the table's columns in SQL, not options. */
    private static List<ConfigOption<?>> postgresDocuments() {
        List<ConfigOption<?>> options = new ArrayList<>(PostgresDocumentSourceOptions.options());
        options.removeAll(List.of(DocumentColumns.ID_COLUMN, DocumentColumns.METADATA_COLUMNS));
        return options;
    }

    private static List<ConfigOption<?>> ragIndex() {
        List<ConfigOption<?>> options = new ArrayList<>(List.of(RagIndexOptions.STORE, RagIndexOptions.INDEX_NAME,
                RagIndexOptions.DEAD_LETTERS_TABLE, DocumentColumns.TEXT_COLUMN));
        for (IndexStore store : IndexStore.values()) {
            options.addAll(store.options());
        }
        options.addAll(IndexStore.FLUSH);
        return options;
    }

    private static List<ConfigOption<?>> sources() {
        List<ConfigOption<?>> options = new ArrayList<>(constantsOf(DocumentColumns.class));
        options.addAll(constantsOf(FolderSourceOptions.class));
        options.addAll(constantsOf(KafkaDocumentsOptions.class));
        options.addAll(constantsOf(PostgresDocumentSourceOptions.class));
        return options;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyOptionHasARowShowingItsDefaultAndEveryRowAnOption(Page page) throws IOException {
        Map<String, String> rows = optionRows(sectionOf(Files.readAllLines(DOCS.resolve(page.file())), page.section()));
        for (ConfigOption<?> option : page.options()) {
            assertThat(rows).as("%s documents option %s", page.file(), option.key()).containsKey(option.key());
            if (option.hasDefaultValue() && option.defaultValue() instanceof Duration duration) {
                assertThat(durationIn(rows.get(option.key()))).as("%s: default of %s", page.file(), option.key())
                        .isEqualTo(duration);
                continue;
            }
            String expected = defaultText(option);
            if (expected != null) {
                assertThat(normalized(rows.get(option.key()))).as("%s: default of %s", page.file(), option.key())
                        .contains(normalized(expected));
            }
        }
        List<String> known = page.options().stream().map(ConfigOption::key).toList();
        assertThat(known).as("options %s documents", page.file()).containsAll(rows.keySet());
    }

    /** The lines under the heading that ends with {@code section}, up to the next heading of that level or above. */
    private static List<String> sectionOf(List<String> lines, String section) {
        if (section == null) {
            return lines;
        }
        int start = -1;
        int level = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hashes = line.indexOf(' ');
            boolean heading = line.startsWith("#") && hashes > 0 && line.substring(0, hashes).chars().allMatch(c -> c == '#');
            if (start < 0 && heading && (line.endsWith(" " + section) || line.contains(" " + section + " "))) {
                start = i + 1;
                level = hashes;
            } else if (start >= 0 && heading && hashes <= level) {
                return lines.subList(start, i);
            }
        }
        assertThat(start).as("section %s", section).isNotNegative();
        return lines.subList(start, lines.size());
    }

    /** The default cell of each table row whose first cell is a backticked option key, in tables with a default column. */
    private static Map<String, String> optionRows(List<String> lines) {
        Map<String, String> rows = new LinkedHashMap<>();
        int defaultColumn = -1;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                defaultColumn = -1;
                continue;
            }
            List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream()
                    .map(String::strip).toList();
            if (defaultColumn < 0) {
                defaultColumn = cells.indexOf("default");
                continue;
            }
            String first = cells.get(0);
            if (defaultColumn > 0 && first.matches("`[a-z][a-z0-9.-]*`")) {
                rows.put(first.substring(1, first.length() - 1), cells.get(defaultColumn));
            }
        }
        return rows;
    }

    /** The first duration written in a cell, such as {@code 60 s} or {@code 200 ms}. */
    private static Duration durationIn(String cell) {
        Matcher duration = Pattern.compile("(\\d+) ?(ms|s|min|h|d)\\b").matcher(cell);
        return duration.find() ? TimeUtils.parseDuration(duration.group()) : null;
    }

    /** How the docs write a default: sizes with their unit, numbers and names as they are. */
    private static String defaultText(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return null;
        }
        Object value = option.defaultValue();
        if (value instanceof MemorySize size) {
            return size.toString();
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? null : String.join(";", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static String normalized(String text) {
        return text.replaceAll("[`,\\s]", "").toLowerCase();
    }

    private static List<ConfigOption<?>> constantsOf(Class<?> holder) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : holder.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }
}
