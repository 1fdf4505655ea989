package dev.flinkrag.chunking;

import dev.flinkrag.common.OptionSpec;
import dev.flinkrag.embedding.EmbeddingModelProvider;
import dev.flinkrag.embedding.TokenCountEstimatorProvider;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.segment.TextSegment;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.function.SerializableSupplier;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How documents are cut into chunks: the edit-stable splitter (the default) with a token budget counted by the
 * embedding model's own tokenizer, or any LangChain4j {@link DocumentSplitter}. Chunk ids come from the document id
 * and the chunk's text either way, so any splitter keeps the index incremental; the edit-stable one also keeps an
 * edit from moving the boundaries of the chunks around it.
 */
@PublicEvolving
public final class ChunkingOptions implements Serializable {

    private static final long serialVersionUID = 3L;

    public static final ConfigOption<Integer> MAX_TOKENS = ConfigOptions.key("chunking.max-tokens")
            .intType()
            .defaultValue(100)
            .withDescription("Most tokens of an edit-stable chunk, counted with the embedding model's tokenizer; at "
                    + "least 8 and at most what the model reads.");

    public static final ConfigOption<Duration> TOMBSTONE_TTL = ConfigOptions.key("chunking.tombstone-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("How long the chunker remembers a deleted document's last version (processing time), to "
                    + "drop older versions that arrive after the delete; 0 remembers it forever.");

    private static final OptionSpec SPEC = OptionSpec.of("ChunkingOptions")
            .option(MAX_TOKENS, "editStable", tokens -> tokens >= 8, "at least 8")
            .option(TOMBSTONE_TTL, "withTombstoneTtl", ttl -> !ttl.isNegative(), "0 or more");

    private final int maxTokens;
    @Nullable private final TokenCountEstimatorProvider tokenizer;
    @Nullable private final SerializableSupplier<DocumentSplitter> splitter;
    private final Duration tombstoneTtl;

    private ChunkingOptions(int maxTokens, @Nullable TokenCountEstimatorProvider tokenizer,
            @Nullable SerializableSupplier<DocumentSplitter> splitter, Duration tombstoneTtl) {
        this.maxTokens = maxTokens;
        this.tokenizer = tokenizer;
        this.splitter = splitter;
        this.tombstoneTtl = tombstoneTtl;
    }

    /** Edit-stable chunks of at most 100 tokens of the pipeline's model. */
    public static ChunkingOptions defaults() {
        return editStable(MAX_TOKENS.defaultValue());
    }

    /** Edit-stable chunks of at most {@code maxTokens} tokens of the pipeline's model (or {@link #withTokenizer}'s). */
    public static ChunkingOptions editStable(int maxTokens) {
        Configuration values = new Configuration();
        values.set(MAX_TOKENS, maxTokens);
        SPEC.validate(values, true);
        return new ChunkingOptions(maxTokens, null, null, TOMBSTONE_TTL.defaultValue());
    }

    /** The {@code chunking.*} options; an unknown {@code chunking.*} key is refused, naming it. */
    public static ChunkingOptions fromOptions(Map<String, String> options) {
        Configuration values = SPEC.fromMap(options, "chunking.");
        SPEC.validate(values, false);
        return new ChunkingOptions(values.get(MAX_TOKENS), null, null, values.get(TOMBSTONE_TTL));
    }

    /** Every option above, for a SQL table factory's option list. */
    public static Set<ConfigOption<?>> options() {
        return SPEC.options();
    }

    /**
     * Chunks from any LangChain4j splitter, created in each task (splitters are not serializable), e.g.
     * {@code ChunkingOptions.splitter(() -> DocumentSplitters.recursive(300, 0, tokenizer))}. Its chunks are made safe
     * for every store as the edit-stable ones are, and chunks without a letter or digit are left out.
     */
    public static ChunkingOptions splitter(SerializableSupplier<DocumentSplitter> splitter) {
        return new ChunkingOptions(0, null, splitter, TOMBSTONE_TTL.defaultValue());
    }

    /** Counts tokens with {@code tokenizer} instead of the pipeline model's. */
    public ChunkingOptions withTokenizer(TokenCountEstimatorProvider value) {
        if (splitter != null) {
            throw new IllegalStateException("a LangChain4j splitter counts tokens itself");
        }
        return new ChunkingOptions(maxTokens, value, null, tombstoneTtl);
    }

    /**
     * These options with deleted documents remembered for {@code ttl} of processing time ({@link Duration#ZERO}:
     * forever). A tombstone keeps an older version that arrives after the delete (a slow source, a replay) from
     * bringing the document back; once it expires, such a version would be indexed as new. The state a deleted
     * document costs is freed when it expires.
     */
    public ChunkingOptions withTombstoneTtl(Duration ttl) {
        Configuration values = new Configuration();
        values.set(TOMBSTONE_TTL, ttl);
        SPEC.validate(values, true);
        return new ChunkingOptions(maxTokens, tokenizer, splitter, ttl);
    }

    /** How long a deleted document is remembered; zero: forever. */
    public Duration tombstoneTtl() {
        return tombstoneTtl;
    }

    /** The edit-stable budget; 0 for a LangChain4j splitter, which has its own. */
    public int maxTokens() {
        return maxTokens;
    }

    /** Whether a tokenizer is known, so that chunks can be made without an embedding model. */
    public boolean hasTokenizer() {
        return tokenizer != null || splitter != null;
    }

    /**
     * These options for {@code model}: the edit-stable budget is checked against what the model reads, and the
     * model's tokenizer counts unless one was given (a model without one: characters / 4).
     */
    public ChunkingOptions forModel(EmbeddingModelProvider model) {
        if (splitter != null) {
            return this;
        }
        model.maxInputTokens().ifPresent(limit -> {
            if (maxTokens > limit) {
                throw new IllegalArgumentException(String.format("chunking maxTokens %d exceeds the %d tokens model "
                        + "%s reads; it would silently ignore the rest of each longer chunk", maxTokens, limit,
                        model.modelId()));
            }
        });
        return tokenizer != null ? this : new ChunkingOptions(maxTokens, tokenizerOf(model), null, tombstoneTtl);
    }

    /**
     * What the chunker applies to each document's text, created inside the task: the chunk texts, in order. Also for
     * a from-scratch oracle of the index. Needs a tokenizer ({@link #forModel}, {@link #withTokenizer}).
     */
    public Function<String, List<String>> createSplitter() {
        if (splitter != null) {
            DocumentSplitter foreign = splitter.get();
            return text -> split(foreign, text);
        }
        if (tokenizer == null) {
            throw new IllegalStateException("no tokenizer to count chunk tokens with: give the pipeline an embedding "
                    + "model or ChunkingOptions.withTokenizer(…)");
        }
        EditStableSplitter editStable = new EditStableSplitter(tokenizer.create(), maxTokens);
        return editStable::split;
    }

    private static List<String> split(DocumentSplitter splitter, String text) {
        String clean = StoreSafeText.of(text);
        List<String> chunks = new ArrayList<>();
        if (clean.isBlank()) {
            return chunks;
        }
        for (TextSegment segment : splitter.split(Document.from(clean))) {
            if (StoreSafeText.hasLetterOrDigit(segment.text(), 0, segment.text().length())) {
                chunks.add(segment.text());
            }
        }
        return chunks;
    }

    private static TokenCountEstimatorProvider tokenizerOf(EmbeddingModelProvider model) {
        return () -> {
            var own = model.createTokenCountEstimator();
            return own != null ? own : new EstimatedTokens();
        };
    }

    @Override
    public String toString() {
        return splitter != null ? "ChunkingOptions{LangChain4j splitter}"
                : "ChunkingOptions{editStable, maxTokens=" + maxTokens + (tokenizer != null ? ", own tokenizer}" : "}");
    }
}
