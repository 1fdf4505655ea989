package dev.flinkrag.source.folder;

import org.apache.flink.api.connector.source.Boundedness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderSourceOptionsTest {

    @Test
    void stringOptionsBuildTheSameSourceAsTheBuilder() {
        FolderSource once = FolderSource.fromOptions(Map.of("path", "/data/docs")).build();
        assertThat(once.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        FolderSource watching = FolderSource.fromOptions(Map.of("path", "s3://bucket/docs",
                "source.monitor-interval", "2 s", "extensions", "md;pdf", "exclude", "**/drafts/**",
                "max-file-size", "1mb", "metadata.modified-at", "false")).build();
        assertThat(watching.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    @Test
    void aBadOptionNamesItsKeyAndABadSetterItsName() {
        assertThatThrownBy(() -> FolderSource.fromOptions(Map.of("path", "/d", "source.monitor-intervall", "1 s")))
                .hasMessageContaining("unknown option 'source.monitor-intervall'");
        assertThatThrownBy(() -> FolderSource.fromOptions(Map.of("source.monitor-interval", "1 s")))
                .hasMessage("option 'path' is required");
        assertThatThrownBy(() -> FolderSource.fromOptions(Map.of("path", "/d", "max-file-size", "0 b")))
                .hasMessage("option 'max-file-size' must be at least 1 byte, was '0 bytes'");
        assertThatThrownBy(() -> FolderSource.forPath("/d").maxFileBytes(0).build())
                .hasMessageContaining("maxFileBytes(…) must be at least 1");
    }
}
