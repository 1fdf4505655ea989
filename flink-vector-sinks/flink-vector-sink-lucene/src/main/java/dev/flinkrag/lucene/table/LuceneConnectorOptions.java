package dev.flinkrag.lucene.table;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The options of {@code 'connector' = 'lucene'}; the shared ones are in {@code VectorSinkConnectorOptions}. */
@PublicEvolving
public final class LuceneConnectorOptions {

    public static final ConfigOption<String> PATH = ConfigOptions.key("path")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory of the index on the TaskManager's local disk. One writer per index: the "
                    + "sink always runs with parallelism 1.");

    private LuceneConnectorOptions() {}
}
