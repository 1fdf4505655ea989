package dev.flinkrag.source.folder;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSelectionTest {

    @Test
    void extensionsIncludesAndExcludesAllApply() {
        FileSelection selection = new FileSelection(Set.of("md", "pdf"), List.of("docs/**", "README.md"),
                List.of("**/drafts/**", "docs/archive/**"));
        assertThat(selection.selects("docs/guide/setup.md")).isTrue();
        assertThat(selection.selects("docs/report.PDF")).as("extensions ignore case").isTrue();
        assertThat(selection.selects("README.md")).isTrue();
        assertThat(selection.selects("docs/guide/setup.txt")).as("extension not chosen").isFalse();
        assertThat(selection.selects("src/notes.md")).as("not included").isFalse();
        assertThat(selection.selects("docs/team/drafts/plan.md")).as("excluded anywhere").isFalse();
        assertThat(selection.selects("docs/archive/2019/old.md")).isFalse();
        assertThat(selection.selects("docs/.md")).as("no name before the dot").isFalse();
    }

    @Test
    void withoutGlobsEveryFileWithAChosenExtensionIsSelected() {
        FileSelection selection = new FileSelection(Set.of("txt"), List.of(), List.of());
        assertThat(selection.selects("a/b/c.txt")).isTrue();
        assertThat(selection.selects("c.md")).isFalse();
    }

    @Test
    void aMalformedGlobIsRefusedWhenTheSourceIsBuilt() {
        assertThatThrownBy(() -> FolderSource.forFolder(java.nio.file.Path.of(".")).include("docs/[a").build())
                .hasMessageContaining("glob 'docs/[a' is malformed");
    }
}
