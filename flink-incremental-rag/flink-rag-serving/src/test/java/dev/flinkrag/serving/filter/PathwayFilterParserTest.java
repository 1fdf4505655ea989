package dev.flinkrag.serving.filter;

import dev.flinkrag.sink.filter.GlobMatch;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathwayFilterParserTest {

    @Test
    void readsPathwaysExamples() {
        assertThat(PathwayFilterParser.parse("owner == `albert`")).isEqualTo(new IsEqualTo("owner", "albert"));
        assertThat(PathwayFilterParser.parse("owner == 'albert'")).isEqualTo(new IsEqualTo("owner", "albert"));
        assertThat(PathwayFilterParser.parse("owner == `\"albert\"`")).isEqualTo(new IsEqualTo("owner", "albert"));
        assertThat(PathwayFilterParser.parse("modified_at >= `1702672093`"))
                .isEqualTo(new IsGreaterThanOrEqualTo("modified_at", 1702672093L));
        assertThat(PathwayFilterParser.parse("contains(path, 'report')")).isEqualTo(new ContainsString("path", "report"));
        assertThat(PathwayFilterParser.parse("globmatch('**/*.pdf', path)")).isEqualTo(new GlobMatch("path", "**/*.pdf"));
        assertThat(PathwayFilterParser.parse("owner == `albert` && contains(path, 'x') || !(size < `10.5`)"))
                .isEqualTo(new Or(new And(new IsEqualTo("owner", "albert"), new ContainsString("path", "x")),
                        new Not(new IsLessThan("size", 10.5))));
    }

    @Test
    void aBareWordInBackticksIsOneString() {
        assertThat(PathwayFilterParser.parse("modified_at >= `2026-11-01`"))
                .isEqualTo(new IsGreaterThanOrEqualTo("modified_at", "2026-11-01"));
        assertThat(PathwayFilterParser.parse("size == `12 apples`")).isEqualTo(new IsEqualTo("size", "12 apples"));
    }

    @Test
    void literalFirstComparisonsAreMirrored() {
        assertThat(PathwayFilterParser.parse("`5` < size")).isEqualTo(
                new dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan("size", 5L));
        assertThat(PathwayFilterParser.parse("'x' != owner")).isEqualTo(new IsNotEqualTo("owner", "x"));
    }

    @Test
    void quotedFieldsAndEscapes() {
        assertThat(PathwayFilterParser.parse("\"content-type\" == 'text/plain'"))
                .isEqualTo(new IsEqualTo("content-type", "text/plain"));
        assertThat(PathwayFilterParser.parse("owner == 'o\\'neil'")).isEqualTo(new IsEqualTo("owner", "o'neil"));
    }

    @Test
    void andBindsTighterThanOr() {
        Filter filter = PathwayFilterParser.parse("a == 'x' || b == 'y' && c == 'z'");
        assertThat(filter).isEqualTo(new Or(new IsEqualTo("a", "x"),
                new And(new IsEqualTo("b", "y"), new IsEqualTo("c", "z"))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "owner.name == 'x'                # unsupported token '.' at position 5",
        "tags[0] == 'x'                   # unsupported token '[' at position 4",
        "owner == other                   # 'other' is a field",
        "owner == `true`                  # unsupported literal `true`",
        "owner == `null`                  # unsupported literal `null`",
        "length(owner) == `3`             # unsupported function 'length' at position 0",
        "owner == 'x' | owner             # unsupported token '|' at position 13",
        "owner                            # metadata_filter ends early at position 5",
        "owner == 'x' &&                  # metadata_filter ends early at position 15",
        "owner == 'x                      # unterminated ' opened at position 9",
        "owner == 'x' ) || true           # unsupported token ')' at position 13",
        "(owner == 'x' || `1` == `1`)     # unsupported token '1' at position 24",
        "contains(path, `3`)              # contains() at position 15 needs a string",
        "globmatch(path, '*.md')          # 'path' is a field",
        "@ == 'x'                         # unsupported token '@' at position 0",
    })
    void refusesWhatItDoesNotSupportNamingTheToken(String filter, String message) {
        assertThatThrownBy(() -> PathwayFilterParser.parse(filter.strip()))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageContaining(message.strip());
    }

    @Test
    void refusesHostileSizes() {
        String deep = "(".repeat(40) + "a == 'x'" + ")".repeat(40);
        assertThatThrownBy(() -> PathwayFilterParser.parse(deep)).hasMessageContaining("nests deeper than 32");
        String huge = "a == '" + "x".repeat(5000) + "'";
        assertThatThrownBy(() -> PathwayFilterParser.parse(huge)).hasMessageContaining("more than 4096");
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "*.md, notes.md, true",
        "*.md, docs/notes.md, true",
        "**/*.md, /abs/docs/notes.md, true",
        "**/*.md, notes.md, true",
        "**/kitchen/*, kitchen/knife-care.md, true",
        "**/kitchen/*, /docs/kitchen/knife-care.md, true",
        "**/kitchen/*, mykitchen/knife-care.md, false",
        "docs/?.txt, docs/a.txt, true",
        "docs/?.txt, docs/ab.txt, false",
        "docs/[ab].txt, docs/b.txt, true",
        "docs/[!ab].txt, docs/b.txt, false",
        "docs/[a-c]*, docs/cat, true",
        "report (final).md, report (final).md, true",
        "a+b.md, aab.md, false",
        "100%.txt, 100%.txt, true",
        "*.MD, notes.md, false",
    })
    void globsMatchAsPathwaysGlobmatch(String glob, String path, boolean matches) {
        Filter filter = PathwayFilterParser.parse("globmatch('" + glob + "', path)");
        assertThat(filter.test(Metadata.from(Map.of("path", path)))).isEqualTo(matches);
    }
}
