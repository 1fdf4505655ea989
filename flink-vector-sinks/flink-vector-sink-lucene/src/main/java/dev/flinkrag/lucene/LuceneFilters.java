package dev.flinkrag.lucene;

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

import org.apache.flink.annotation.PublicEvolving;

import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;

import java.util.Collection;
import java.util.UUID;

/**
 * Translates LangChain4j metadata filters into Lucene queries, so a vector search filters inside the
 * HNSW traversal instead of dropping hits afterwards. Semantics follow LangChain4j's in-memory store:
 * "not equal" and "not in" also match entries without the key.
 */
@PublicEvolving
public final class LuceneFilters {

    private LuceneFilters() {}

    public static Query toQuery(Filter filter) {
        if (filter instanceof And and) {
            return new BooleanQuery.Builder()
                    .add(toQuery(and.left()), Occur.FILTER)
                    .add(toQuery(and.right()), Occur.FILTER)
                    .build();
        }
        if (filter instanceof Or or) {
            return new BooleanQuery.Builder()
                    .add(toQuery(or.left()), Occur.SHOULD)
                    .add(toQuery(or.right()), Occur.SHOULD)
                    .setMinimumNumberShouldMatch(1)
                    .build();
        }
        if (filter instanceof Not not) {
            return negate(toQuery(not.expression()));
        }
        if (filter instanceof IsEqualTo eq) {
            return equalTo(eq.key(), eq.comparisonValue());
        }
        if (filter instanceof IsNotEqualTo ne) {
            return negate(equalTo(ne.key(), ne.comparisonValue()));
        }
        if (filter instanceof IsIn in) {
            return anyOf(in.key(), in.comparisonValues());
        }
        if (filter instanceof IsNotIn notIn) {
            return negate(anyOf(notIn.key(), notIn.comparisonValues()));
        }
        if (filter instanceof IsGreaterThan gt) {
            return range(gt.key(), gt.comparisonValue(), false, null, false);
        }
        if (filter instanceof IsGreaterThanOrEqualTo ge) {
            return range(ge.key(), ge.comparisonValue(), true, null, false);
        }
        if (filter instanceof IsLessThan lt) {
            return range(lt.key(), null, false, lt.comparisonValue(), false);
        }
        if (filter instanceof IsLessThanOrEqualTo le) {
            return range(le.key(), null, false, le.comparisonValue(), true);
        }
        if (filter instanceof ContainsString contains) {
            String escaped = contains.comparisonValue().replaceAll("([*?\\\\])", "\\\\$1");
            return new WildcardQuery(new Term(LuceneDocuments.META_STRING + contains.key(), "*" + escaped + "*"));
        }
        if (filter instanceof GlobMatch glob) {
            return new RegexpQuery(new Term(LuceneDocuments.META_STRING + glob.key(), glob.regex()));
        }
        throw new IllegalArgumentException("unsupported metadata filter " + filter.getClass().getName() + ": " + filter);
    }

    private static Query negate(Query query) {
        return new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(query, Occur.MUST_NOT)
                .build();
    }

    private static Query anyOf(String key, Collection<?> values) {
        BooleanQuery.Builder any = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        for (Object value : values) {
            any.add(equalTo(key, value), Occur.SHOULD);
        }
        return any.build();
    }

    private static Query equalTo(String key, Object value) {
        if (value instanceof String || value instanceof UUID) {
            return new TermQuery(new Term(LuceneDocuments.META_STRING + key, value.toString()));
        }
        if (value instanceof Number number && isSupportedNumber(number)) {
            return range(key, number, true, number, true);
        }
        throw unsupportedValue(key, value);
    }

    /**
     * Numbers compare as numbers, whichever Java type stored them (as LangChain4j's in-memory store and pgvector
     * compare them): whole numbers live in a long field, decimals in a double field, so a numeric bound matches
     * either field, converted exactly (a decimal bound on whole numbers rounds toward the inside of the range).
     */
    private static Query range(String key, Object lower, boolean includeLower, Object upper, boolean includeUpper) {
        Object sample = lower != null ? lower : upper;
        if (sample instanceof Number) {
            Number low = (Number) lower;
            Number high = (Number) upper;
            if ((low != null && !isSupportedNumber(low)) || (high != null && !isSupportedNumber(high))) {
                throw unsupportedValue(key, sample);
            }
            return new BooleanQuery.Builder()
                    .add(longRange(key, low, includeLower, high, includeUpper), Occur.SHOULD)
                    .add(doubleRange(key, low, includeLower, high, includeUpper), Occur.SHOULD)
                    .setMinimumNumberShouldMatch(1)
                    .build();
        }
        if (sample instanceof String || sample instanceof UUID) {
            return TermRangeQuery.newStringRange(LuceneDocuments.META_STRING + key,
                    lower == null ? null : lower.toString(), upper == null ? null : upper.toString(),
                    includeLower, includeUpper);
        }
        throw unsupportedValue(key, sample);
    }

    private static boolean isSupportedNumber(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof Float || number instanceof Double;
    }

    private static Query longRange(String key, Number lower, boolean includeLower, Number upper, boolean includeUpper) {
        long low = Long.MIN_VALUE;
        long high = Long.MAX_VALUE;
        if (lower != null) {
            if (lower instanceof Integer || lower instanceof Long) {
                low = lower.longValue() == Long.MAX_VALUE && !includeLower ? Long.MAX_VALUE : lower.longValue() + (includeLower ? 0 : 1);
            } else {
                double d = lower.doubleValue();
                low = (long) (includeLower ? Math.ceil(d) : Math.floor(d) + 1);
            }
        }
        if (upper != null) {
            if (upper instanceof Integer || upper instanceof Long) {
                high = upper.longValue() == Long.MIN_VALUE && !includeUpper ? Long.MIN_VALUE : upper.longValue() - (includeUpper ? 0 : 1);
            } else {
                double d = upper.doubleValue();
                high = (long) (includeUpper ? Math.floor(d) : Math.ceil(d) - 1);
            }
        }
        return LongPoint.newRangeQuery(LuceneDocuments.META_LONG + key, low, high);
    }

    private static Query doubleRange(String key, Number lower, boolean includeLower, Number upper, boolean includeUpper) {
        double low = lower == null ? Double.NEGATIVE_INFINITY : lower.doubleValue();
        double high = upper == null ? Double.POSITIVE_INFINITY : upper.doubleValue();
        low = lower == null || includeLower ? low : DoublePoint.nextUp(low);
        high = upper == null || includeUpper ? high : DoublePoint.nextDown(high);
        return DoublePoint.newRangeQuery(LuceneDocuments.META_DOUBLE + key, low, high);
    }

    private static IllegalArgumentException unsupportedValue(String key, Object value) {
        return new IllegalArgumentException(String.format("metadata filter on key '%s' has unsupported value type %s",
                key, value == null ? "null" : value.getClass().getName()));
    }
}
