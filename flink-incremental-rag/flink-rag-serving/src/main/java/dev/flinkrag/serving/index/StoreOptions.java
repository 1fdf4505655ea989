package dev.flinkrag.serving.index;

import dev.flinkrag.embedding.EmbeddingModelOptions;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.EmbeddingModels;
import dev.flinkrag.lucene.LuceneSinkOptions;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.postgres.PostgresConnectionOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which index to read and with which model, as {@code key → value} options (a command line's, a job's): {@code store}
 * ({@code lucene} with {@code path}, or {@code pgvector} with the keys of its SQL connector) and the model's
 * {@code model.*} keys (the in-process all-MiniLM-L6-v2-q by default). The server and the live Q&amp;A operator open
 * their index this way.
 */
@PublicEvolving
public final class StoreOptions {

    /** {@code lucene} or {@code pgvector}. */
    public static final String STORE = "store";

    private StoreOptions() {}

    /** The embedding model the {@code model.*} options name, all-MiniLM-L6-v2-q (in process) without them. */
    public static EmbeddingModelProvider model(Map<String, String> options) {
        Map<String, String> model = new LinkedHashMap<>(only(options, keys(EmbeddingModelOptions.ALL)));
        model.putIfAbsent(EmbeddingModelOptions.PROVIDER.key(), "all-minilm-l6-v2-q");
        return EmbeddingModels.fromOptions(model);
    }

    /**
     * Opens the index the options name; a pgvector table without {@code dimension} gets {@code provider}'s. Keys other
     * than the store's, the model's and {@code otherKeys} are refused, naming the known ones.
     */
    public static ServedIndex open(Map<String, String> options, EmbeddingModelProvider provider,
            Collection<String> otherKeys) {
        check(options, otherKeys);
        switch (options.get(STORE)) {
            case "lucene" -> {
                String path = options.get(LuceneSinkOptions.PATH.key());
                if (path == null) {
                    throw new IllegalArgumentException("option 'path' is required for store lucene: the index directory");
                }
                if (!Files.isDirectory(Path.of(path))) {
                    throw new IllegalArgumentException("option 'path' is '" + path + "', which is not a directory");
                }
                return ServedIndex.luceneReadOnly(Path.of(path));
            }
            case "pgvector" -> {
                Map<String, String> values = new LinkedHashMap<>(only(options, keys(pgvectorOptions())));
                values.putIfAbsent(PgVectorOptions.DIMENSION.key(),
                        Integer.toString(provider.dimension().orElseGet(() -> provider.create().dimension())));
                return ServedIndex.pgvector(PgVectorOptions.fromConfiguration(Configuration.fromMap(values)));
            }
            default -> throw new IllegalStateException("checked above");
        }
    }

    /**
     * Checks that the options name a store and hold no key but the store's, the model's and {@code otherKeys}
     * (a misspelt key is refused, naming the known ones), without opening anything.
     */
    public static void check(Map<String, String> options, Collection<String> otherKeys) {
        String store = options.get(STORE);
        if (store == null) {
            throw new IllegalArgumentException("option 'store' is required: lucene or pgvector");
        }
        Set<String> known = new TreeSet<>(otherKeys);
        known.addAll(keys(EmbeddingModelOptions.ALL));
        known.add(STORE);
        switch (store) {
            case "lucene" -> known.add(LuceneSinkOptions.PATH.key());
            case "pgvector" -> known.addAll(keys(pgvectorOptions()));
            default -> throw new IllegalArgumentException("option 'store' is '" + store + "'; supported: lucene, pgvector");
        }
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "' for store " + store + "; known: "
                        + known);
            }
        }
    }

    private static List<ConfigOption<?>> pgvectorOptions() {
        List<ConfigOption<?>> table = new ArrayList<>(PostgresConnectionOptions.REQUIRED);
        table.addAll(PostgresConnectionOptions.OPTIONAL);
        table.addAll(PgVectorOptions.TABLE_OPTIONS);
        return table;
    }

    /** The options whose keys are in {@code keys}. */
    public static Map<String, String> only(Map<String, String> options, Collection<String> keys) {
        Map<String, String> selected = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            if (keys.contains(key)) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    public static List<String> keys(Collection<? extends ConfigOption<?>> options) {
        return options.stream().map(ConfigOption::key).toList();
    }
}
