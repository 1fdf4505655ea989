package dev.flinkrag.lucene;

import dev.flinkrag.sink.BufferedWriteOptions;
import dev.flinkrag.sink.IndexedModel;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Settings of the Lucene sink, set with {@link LuceneSink#builder()}; SQL ({@code 'connector' = 'lucene'}) reads
 * {@link #PATH} and the flush options of {@link BufferedWriteOptions}.
 *
 * @param indexPath directory of the index on the local disk of the task manager
 * @param write when the writer flushes (Lucene failures are not transient: retries do not apply)
 * @param model the model the vectors come from, recorded in the index state; {@code null} if unknown
 */
@PublicEvolving
public record LuceneSinkOptions(String indexPath, BufferedWriteOptions write, @Nullable IndexedModel model)
        implements Serializable {

    public LuceneSinkOptions(String indexPath, BufferedWriteOptions write) {
        this(indexPath, write, null);
    }

    public static final ConfigOption<String> PATH = ConfigOptions.key("path")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory of the index on the TaskManager's local disk. One writer per index: the "
                    + "sink always runs with parallelism 1.");
}
