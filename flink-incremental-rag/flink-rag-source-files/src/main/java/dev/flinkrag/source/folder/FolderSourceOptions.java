package dev.flinkrag.source.folder;

import dev.flinkrag.common.OptionSpec;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The folder source's options, for string maps (SQL tables, job arguments); {@link FolderSource#fromOptions} reads
 * them into the same builder Java users call.
 */
@PublicEvolving
public final class FolderSourceOptions {

    public static final ConfigOption<String> PATH = ConfigOptions.key("path")
            .stringType()
            .noDefaultValue()
            .withDescription("The folder: a local path or a URI of any Flink file system (s3://, hdfs://, gs://).");

    public static final ConfigOption<Duration> MONITOR_INTERVAL = ConfigOptions.key("source.monitor-interval")
            .durationType()
            .noDefaultValue()
            .withDescription("Scan the folder again every interval and emit what changed; unset: read it once.");

    public static final ConfigOption<List<String>> EXTENSIONS = ConfigOptions.key("extensions")
            .stringType()
            .asList()
            .defaultValues("txt", "text", "md", "markdown")
            .withDescription("File name extensions to index, without the dot, separated by ';'.");

    public static final ConfigOption<List<String>> INCLUDE = ConfigOptions.key("include")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Only paths inside the folder matching one of these globs ('**' crosses directories).");

    public static final ConfigOption<List<String>> EXCLUDE = ConfigOptions.key("exclude")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("No paths matching one of these globs, e.g. '**/drafts/**'.");

    public static final ConfigOption<MemorySize> MAX_FILE_SIZE = ConfigOptions.key("max-file-size")
            .memoryType()
            .defaultValue(MemorySize.parse("10mb"))
            .withDescription("Larger files are dead-lettered unread.");

    public static final ConfigOption<Boolean> MODIFIED_AT = ConfigOptions.key("metadata.modified-at")
            .booleanType()
            .defaultValue(true)
            .withDescription("Keep each file's modification time in its metadata; false: a file rewritten with the "
                    + "same bytes emits nothing.");

    static final OptionSpec SPEC = OptionSpec.of("FolderSource.forPath(…)")
            .required(PATH, "forPath")
            .option(MONITOR_INTERVAL, "monitorContinuously", interval -> !interval.isNegative() && !interval.isZero(),
                    "positive")
            .option(EXTENSIONS, "extensions")
            .option(INCLUDE, "include")
            .option(EXCLUDE, "exclude")
            .option(MAX_FILE_SIZE, "maxFileBytes", size -> size.getBytes() >= 1, "at least 1 byte")
            .option(MODIFIED_AT, "withoutModificationTime");

    private FolderSourceOptions() {}

    /** Every option above, for a SQL table factory's option list. */
    public static Set<ConfigOption<?>> options() {
        return SPEC.options();
    }

    /** A builder set from string options; an unknown key is refused, naming it. */
    static FolderSource.Builder builder(Map<String, String> options) {
        Configuration values = SPEC.fromMap(options);
        SPEC.validate(values, false);
        FolderSource.Builder builder = FolderSource.forPath(values.get(PATH))
                .extensions(new HashSet<>(values.get(EXTENSIONS)))
                .include(values.get(INCLUDE).toArray(String[]::new))
                .exclude(values.get(EXCLUDE).toArray(String[]::new))
                .maxFileBytes(values.get(MAX_FILE_SIZE).getBytes());
        values.getOptional(MONITOR_INTERVAL).ifPresent(builder::monitorContinuously);
        if (!values.get(MODIFIED_AT)) {
            builder.withoutModificationTime();
        }
        return builder;
    }
}
