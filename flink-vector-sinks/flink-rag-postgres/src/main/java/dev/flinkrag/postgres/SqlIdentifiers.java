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

    /** What every name must be, for messages. */
    public static final String NAME_RULE = "a name of letters, digits and underscores (at most 63, not starting with a "
            + "digit)";

    /** Whether {@code name} is a plain identifier this library quotes and accepts. */
    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Whether {@code table} is {@code table} or {@code schema.table}, each part a plain identifier. */
    public static boolean isTableName(String table) {
        if (table == null) {
            return false;
        }
        String[] parts = table.split("\\.", -1);
        return parts.length <= 2 && isName(parts[0]) && (parts.length == 1 || isName(parts[1]));
    }

    /** {@code name} quoted, after checking it; {@code option} names the setting in the error. */
    public static String quote(String option, String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("option '" + option + "' must be " + NAME_RULE + ", was '" + name + "'");
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
