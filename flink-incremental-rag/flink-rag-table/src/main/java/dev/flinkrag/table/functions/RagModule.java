package dev.flinkrag.table.functions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.module.Module;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The functions as system functions, with one model and embedding configuration for all of them: {@code LOAD
 * MODULE flinkrag [WITH ('model.provider' = 'openai', 'model.base-url' = …, 'embedding.batch.max-size' = '64')]}
 * makes {@code CHUNKS}, {@code INCREMENTAL_CHUNKS} and {@code EMBED} callable in every catalog and database.
 */
@PublicEvolving
public final class RagModule implements Module {

    private final Map<String, String> options;

    public RagModule(Map<String, String> options) {
        this.options = Map.copyOf(options);
    }

    @Override
    public Set<String> listFunctions() {
        return Set.of("chunks", "incremental_chunks", "embed");
    }

    @Override
    public Optional<FunctionDefinition> getFunctionDefinition(String name) {
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "chunks" -> new ChunksFunction(options);
            case "incremental_chunks" -> new IncrementalChunksFunction(options);
            case "embed" -> new EmbedFunction(options);
            default -> null;
        });
    }
}
