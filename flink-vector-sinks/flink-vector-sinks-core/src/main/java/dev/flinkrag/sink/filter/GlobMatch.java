package dev.flinkrag.sink.filter;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.store.embedding.filter.Filter;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A metadata filter LangChain4j lacks: the string value of {@code key} matches a glob pattern, as Pathway's
 * {@code globmatch(pattern, field)} does. {@code *} and {@code **} match any run of characters ({@code /}
 * included), {@code **}{@code /} also none (so {@code **}{@code /*.md} matches {@code a.md}), {@code ?} one character, {@code [abc]}, {@code [a-z]} and {@code [!abc]} one character of (or not
 * of) a set; everything else matches itself. Entries without the key, or with a non-string value, do not match.
 *
 * <p>Stores translate it through {@link #regex()}: a regular expression of the whole value written in the
 * subset that Java, Lucene's {@code RegExp} and PostgreSQL's {@code ~} read alike (every literal character that
 * is not a letter or a digit is escaped with a backslash).
 */
@PublicEvolving
public final class GlobMatch implements Filter {

    private final String key;
    private final String glob;
    private final String regex;
    private final Pattern pattern;

    public GlobMatch(String key, String glob) {
        this.key = Objects.requireNonNull(key, "key");
        this.glob = Objects.requireNonNull(glob, "glob");
        this.regex = toRegex(glob);
        this.pattern = Pattern.compile(regex, Pattern.DOTALL);
    }

    public String key() {
        return key;
    }

    public String glob() {
        return glob;
    }

    /** The pattern as a regular expression that must match the whole value (no anchors: Lucene has none). */
    public String regex() {
        return regex;
    }

    @Override
    public boolean test(Object object) {
        if (!(object instanceof Metadata metadata)) {
            return false;
        }
        return metadata.toMap().get(key) instanceof String value && pattern.matcher(value).matches();
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                int stars = 1;
                while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                    stars++;
                }
                if (stars > 1 && i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    regex.append("(.*/)?"); // "**/" is any number of folders, none included: **/*.md matches a.md
                    i++;
                } else {
                    regex.append(".*");
                }
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                i = appendSet(glob, i, regex);
            } else {
                appendLiteral(c, regex);
            }
        }
        return regex.toString();
    }

    /** Appends the set starting at {@code start} ({@code [}); returns the index of its closing {@code ]}. */
    private static int appendSet(String glob, int start, StringBuilder regex) {
        int i = start + 1;
        regex.append('[');
        if (glob.charAt(i) == '!' || glob.charAt(i) == '^') {
            regex.append('^');
            i++;
        }
        boolean first = true;
        for (; i < glob.length() && (first || glob.charAt(i) != ']'); i++, first = false) {
            char c = glob.charAt(i);
            boolean range = c == '-' && !first && i + 1 < glob.length() && glob.charAt(i + 1) != ']';
            if (range) {
                regex.append('-');
            } else {
                appendLiteral(c, regex);
            }
        }
        regex.append(']');
        return i;
    }

    private static void appendLiteral(char c, StringBuilder regex) {
        if (!Character.isLetterOrDigit(c) && c < 128) {
            regex.append('\\');
        }
        regex.append(c);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlobMatch that && key.equals(that.key) && glob.equals(that.glob);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, glob);
    }

    @Override
    public String toString() {
        return "GlobMatch(key=" + key + ", glob=" + glob + ")";
    }
}
