package dev.flinkrag.lucene.table;

import dev.flinkrag.testing.TableSinks;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneDynamicTableFactoryTest {

    @Test
    void aPathMakesAnUpsertSinkAndRetriesAreNotAnOptionOfLucene() {
        assertThat(TableSinks.create(new LuceneDynamicTableFactory(), Map.of("connector", "lucene",
                "path", "/tmp/index", "sink.buffer-flush.max-rows", "10")).asSummaryString())
                .isEqualTo("lucene(/tmp/index)");
        assertThatThrownBy(() -> TableSinks.create(new LuceneDynamicTableFactory(), Map.of("connector", "lucene")))
                .hasStackTraceContaining("path");
        assertThatThrownBy(() -> TableSinks.create(new LuceneDynamicTableFactory(), Map.of("connector", "lucene",
                "path", "/tmp/index", "sink.retries.max", "3")))
                .hasStackTraceContaining("sink.retries.max");
    }
}
