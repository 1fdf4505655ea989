package dev.flinkrag.parsing;

import dev.flinkrag.common.OptionSpec;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Limits of the parsing stage, so that no document can hang a task or fill its heap: each is an option of its
 * own, readable from a builder or a string map ({@link #fromOptions}).
 */
@PublicEvolving
public final class ParsingOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<MemorySize> MAX_DOCUMENT_SIZE = ConfigOptions.key("parsing.max-document-size")
            .memoryType()
            .defaultValue(MemorySize.parse("64mb"))
            .withDescription("Largest raw document (PDF, DOCX, …) handed to Apache Tika; a larger one is "
                    + "dead-lettered unread.");

    public static final ConfigOption<Integer> MAX_TEXT_LENGTH = ConfigOptions.key("parsing.max-text-length")
            .intType()
            .defaultValue(10_000_000)
            .withDescription("Most characters of text a document may have, given as text or parsed (about 2,000 "
                    + "pages); Tika stops reading a document once it has extracted that much. Longer documents "
                    + "are dead-lettered.");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("parsing.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("How long Apache Tika may work on one document; then it is dead-lettered. Parsing "
                    + "runs beside the task thread, so checkpoints go on meanwhile.");

    public static final ConfigOption<Integer> MAX_CONCURRENT_DOCUMENTS =
            ConfigOptions.key("parsing.max-concurrent-documents")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Documents in the parsing stage at once per parallel instance (each raw one "
                            + "on a thread of its own). They are part of checkpoints until parsed.");

    public static final ConfigOption<List<String>> SKIP_DOCUMENTS = ConfigOptions.key("parsing.skip-documents")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Ids of documents to leave out of the index: each change of them is dead-lettered "
                    + "as skipped and their chunks are removed. The way out if a document ever makes the job "
                    + "restart in a loop.");

    private static final OptionSpec SPEC = OptionSpec.of("ParsingOptions.builder()")
            .option(MAX_DOCUMENT_SIZE, "maxDocumentSize", size -> size.getBytes() >= 1, "at least 1 byte")
            .option(MAX_TEXT_LENGTH, "maxTextLength", length -> length >= 1, "at least 1")
            .option(TIMEOUT, "timeout", timeout -> !timeout.isNegative() && !timeout.isZero(), "positive")
            .option(MAX_CONCURRENT_DOCUMENTS, "maxConcurrentDocuments", documents -> documents >= 1, "at least 1")
            .option(SKIP_DOCUMENTS, "skipDocuments");

    private final Configuration values;
    private final Set<String> skipped;

    private ParsingOptions(Configuration values, boolean setThroughBuilder) {
        SPEC.validate(values, setThroughBuilder);
        this.values = values;
        this.skipped = Set.copyOf(values.get(SKIP_DOCUMENTS));
    }

    public static ParsingOptions defaults() {
        return new ParsingOptions(new Configuration(), true);
    }

    /** Options from {@code parsing.*} keys; an unknown {@code parsing.*} key is refused, naming it. */
    public static ParsingOptions fromOptions(Map<String, String> options) {
        return new ParsingOptions(SPEC.fromMap(options, "parsing."), false);
    }

    public static Builder builder() {
        return new Builder(new Configuration());
    }

    /** Every option above, for a SQL table factory's option list. */
    public static Set<ConfigOption<?>> options() {
        return SPEC.options();
    }

    public long maxDocumentBytes() {
        return values.get(MAX_DOCUMENT_SIZE).getBytes();
    }

    public int maxTextLength() {
        return values.get(MAX_TEXT_LENGTH);
    }

    public Duration timeout() {
        return values.get(TIMEOUT);
    }

    public int maxConcurrentDocuments() {
        return values.get(MAX_CONCURRENT_DOCUMENTS);
    }

    public boolean skips(String docId) {
        return skipped.contains(docId);
    }

    @Override
    public String toString() {
        return "ParsingOptions" + values.toMap();
    }

    /** Sets options one by one; unset ones keep their defaults. */
    public static final class Builder {
        private final Configuration values;

        private Builder(Configuration values) {
            this.values = values;
        }

        public Builder maxDocumentSize(MemorySize size) {
            values.set(MAX_DOCUMENT_SIZE, size);
            return this;
        }

        public Builder maxTextLength(int characters) {
            values.set(MAX_TEXT_LENGTH, characters);
            return this;
        }

        public Builder timeout(Duration timeout) {
            values.set(TIMEOUT, timeout);
            return this;
        }

        public Builder maxConcurrentDocuments(int documents) {
            values.set(MAX_CONCURRENT_DOCUMENTS, documents);
            return this;
        }

        public Builder skipDocuments(String... docIds) {
            values.set(SKIP_DOCUMENTS, List.of(docIds));
            return this;
        }

        public ParsingOptions build() {
            return new ParsingOptions(new Configuration(values), true);
        }
    }
}
