package dev.flinkrag.postgres;

import org.apache.flink.annotation.Internal;

import java.util.regex.Pattern;

/**
 * Table and column names from configuration are checked against a strict pattern and always quoted, so no
 * configuration value can change a statement ({@code x; DROP TABLE y} is refused, not escaped).
 */
@Internal
public final class SqlIdentifiers {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SqlIdentifiers() {}

    /** {@code name} quoted, after checking it; {@code option} names the setting in the error. */
    public static String quote(String option, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("option '" + option + "' must be a name of letters, digits and "
                    + "underscores (at most 63, not starting with a digit), was '" + name + "'");
        }
        return '"' + name + '"';
    }

    /** A table name, optionally schema-qualified ({@code schema.table}), quoted part by part. */
    public static String quoteTable(String option, String table) {
        if (table == null) {
            throw new IllegalArgumentException("option '" + option + "' is required");
        }
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("option '" + option + "' must be 'table' or 'schema.table', was '"
                    + table + "'");
        }
        return parts.length == 1 ? quote(option, parts[0]) : quote(option, parts[0]) + "." + quote(option, parts[1]);
    }
}
