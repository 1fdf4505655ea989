package dev.flinkrag.pgvector;

import dev.flinkrag.sink.filter.GlobMatch;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Translates LangChain4j metadata filters into a SQL condition on the jsonb metadata column, evaluated by
 * PostgreSQL inside the search. Semantics follow LangChain4j's in-memory store: numbers compare as numbers,
 * strings and UUIDs as text (code point order), and "not equal" / "not in" / NOT also match entries without
 * the key, so every leaf is TRUE or FALSE, never NULL.
 */
final class PgVectorFilters {

    /** A condition with its parameters, in the order of its {@code ?} marks. */
    record Condition(String sql, List<Object> parameters) {}

    private final String metadata;

    PgVectorFilters(String quotedMetadataColumn) {
        this.metadata = quotedMetadataColumn;
    }

    Condition toCondition(Filter filter) {
        List<Object> parameters = new ArrayList<>();
        return new Condition(sql(filter, parameters), parameters);
    }

    private String sql(Filter filter, List<Object> parameters) {
        if (filter instanceof And and) {
            return "(" + sql(and.left(), parameters) + " AND " + sql(and.right(), parameters) + ")";
        }
        if (filter instanceof Or or) {
            return "(" + sql(or.left(), parameters) + " OR " + sql(or.right(), parameters) + ")";
        }
        if (filter instanceof Not not) {
            return "(NOT " + sql(not.expression(), parameters) + ")";
        }
        if (filter instanceof IsEqualTo eq) {
            return compare(eq.key(), "=", eq.comparisonValue(), parameters);
        }
        if (filter instanceof IsNotEqualTo ne) {
            return "(NOT " + compare(ne.key(), "=", ne.comparisonValue(), parameters) + ")";
        }
        if (filter instanceof IsGreaterThan gt) {
            return compare(gt.key(), ">", gt.comparisonValue(), parameters);
        }
        if (filter instanceof IsGreaterThanOrEqualTo ge) {
            return compare(ge.key(), ">=", ge.comparisonValue(), parameters);
        }
        if (filter instanceof IsLessThan lt) {
            return compare(lt.key(), "<", lt.comparisonValue(), parameters);
        }
        if (filter instanceof IsLessThanOrEqualTo le) {
            return compare(le.key(), "<=", le.comparisonValue(), parameters);
        }
        if (filter instanceof IsIn in) {
            return anyOf(in.key(), in.comparisonValues(), parameters);
        }
        if (filter instanceof IsNotIn notIn) {
            return "(NOT " + anyOf(notIn.key(), notIn.comparisonValues(), parameters) + ")";
        }
        if (filter instanceof ContainsString contains) {
            parameters.add(contains.key());
            parameters.add(contains.key());
            parameters.add(contains.comparisonValue());
            return "COALESCE(jsonb_typeof(" + metadata + " -> ?) = 'string' AND strpos(" + metadata
                    + " ->> ?, ?) > 0, false)";
        }
        if (filter instanceof GlobMatch glob) {
            parameters.add(glob.key());
            parameters.add(glob.key());
            parameters.add("^(" + glob.regex() + ")$");
            return "COALESCE(jsonb_typeof(" + metadata + " -> ?) = 'string' AND (" + metadata + " ->> ?) ~ ?, false)";
        }
        throw new UnsupportedOperationException("filter " + filter.getClass().getSimpleName() + " is not supported");
    }

    /** {@code key op value}: numbers as numeric, everything else as text; FALSE when the key is missing or of another type. */
    private String compare(String key, String operator, Object value, List<Object> parameters) {
        parameters.add(key);
        parameters.add(key);
        if (value instanceof Number number) {
            parameters.add(decimal(number));
            return "COALESCE(jsonb_typeof(" + metadata + " -> ?) = 'number' AND (" + metadata + " ->> ?)::numeric "
                    + operator + " ?, false)";
        }
        parameters.add(text(value));
        return "COALESCE(jsonb_typeof(" + metadata + " -> ?) = 'string' AND (" + metadata + " ->> ?) COLLATE \"C\" "
                + operator + " ? COLLATE \"C\", false)";
    }

    private String anyOf(String key, Collection<?> values, List<Object> parameters) {
        List<String> alternatives = new ArrayList<>();
        for (Object value : values) {
            alternatives.add(compare(key, "=", value, parameters));
        }
        return alternatives.isEmpty() ? "false" : "(" + String.join(" OR ", alternatives) + ")";
    }

    /** Floats through their decimal text, so 1.1f compares equal to the 1.1 stored in JSON. */
    private static BigDecimal decimal(Number number) {
        if (number instanceof Float f) {
            return new BigDecimal(Float.toString(f));
        }
        if (number instanceof Double d) {
            return new BigDecimal(Double.toString(d));
        }
        return new BigDecimal(number.toString());
    }

    private static String text(Object value) {
        return value instanceof UUID uuid ? uuid.toString() : String.valueOf(value);
    }
}
