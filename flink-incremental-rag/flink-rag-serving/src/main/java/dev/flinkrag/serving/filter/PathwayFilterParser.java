package dev.flinkrag.serving.filter;

import dev.flinkrag.sink.filter.GlobMatch;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a {@code metadata_filter} in the JMESPath subset Pathway's document store accepts and turns it into a
 * LangChain4j {@link Filter}, which the stores evaluate inside their search (so k hits come back whenever k chunks
 * match, unlike Pathway, which filters after the search):
 *
 * <pre>
 *   filter     := or
 *   or         := and ( '||' and )*
 *   and        := unary ( '&amp;&amp;' unary )*
 *   unary      := '!' unary | '(' or ')' | function | comparison
 *   comparison := field op literal | literal op field          op: == != &lt; &lt;= &gt; &gt;=
 *   function   := contains(field, literal) | globmatch(literal, field)
 *   field      := identifier | "quoted identifier"
 *   literal    := `json` (a bare word in backticks is a string) | 'raw string'
 * </pre>
 *
 * Literals are strings or numbers (whole numbers as {@code Long}, decimals as {@code Double}); anything else —
 * nested fields, field-to-field comparisons, booleans, {@code null}, other functions — is refused with an
 * {@link InvalidFilterException} naming the token and its position. {@code !=} and {@code !} also match chunks
 * without the field, as JMESPath's {@code null != 'x'} does.
 */
@PublicEvolving
public final class PathwayFilterParser {

    /** Longer filters are refused: a filter is a few conditions, never a document. */
    public static final int MAX_LENGTH = 4_096;
    /** Deeper nesting is refused, so a hostile filter cannot exhaust the stack. */
    public static final int MAX_DEPTH = 32;

    /** A literal is one JSON value: {@code `2026-11-01`} is the bare word, not the number 2026 and some rest. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final FilterTokens tokens;
    private int depth;

    private PathwayFilterParser(String source) {
        this.tokens = new FilterTokens(source);
    }

    /** The filter {@code expression} describes; throws {@link InvalidFilterException} if it is not in the subset. */
    public static Filter parse(String expression) {
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidFilterException("metadata_filter is " + expression.length() + " characters long, more than "
                    + MAX_LENGTH);
        }
        PathwayFilterParser parser = new PathwayFilterParser(expression);
        Filter filter = parser.or();
        FilterTokens.Token rest = parser.tokens.next();
        if (rest.kind() != FilterTokens.Kind.END) {
            throw parser.unexpected(rest, "an operator ('&&', '||') or the end of the filter");
        }
        return filter;
    }

    /** {@code globmatch('<glob>', <field>)}, as Pathway combines {@code filepath_globpattern} with a filter. */
    public static Filter glob(String field, String glob) {
        return new GlobMatch(field, glob);
    }

    private Filter or() {
        Filter left = and();
        while (tokens.peek().is("||")) {
            tokens.next();
            left = new Or(left, and());
        }
        return left;
    }

    private Filter and() {
        Filter left = unary();
        while (tokens.peek().is("&&")) {
            tokens.next();
            left = new And(left, unary());
        }
        return left;
    }

    private Filter unary() {
        if (++depth > MAX_DEPTH) {
            throw new InvalidFilterException("metadata_filter nests deeper than " + MAX_DEPTH + " levels at position "
                    + tokens.peek().position());
        }
        try {
            FilterTokens.Token token = tokens.peek();
            if (token.is("!")) {
                tokens.next();
                return new Not(unary());
            }
            if (token.is("(")) {
                tokens.next();
                Filter inner = or();
                expect(")");
                return inner;
            }
            if (token.kind() == FilterTokens.Kind.IDENTIFIER && tokens.peekSecond().is("(")) {
                return function();
            }
            return comparison();
        } finally {
            depth--;
        }
    }

    private Filter function() {
        FilterTokens.Token name = tokens.next();
        expect("(");
        Filter filter = switch (name.text()) {
            case "contains" -> {
                String field = field();
                expect(",");
                FilterTokens.Token valueToken = tokens.peek();
                Object value = literal();
                if (!(value instanceof String text)) {
                    throw new InvalidFilterException("contains() at position " + valueToken.position()
                            + " needs a string to look for, got " + valueToken.text());
                }
                yield new ContainsString(field, text);
            }
            case "globmatch" -> {
                FilterTokens.Token patternToken = tokens.peek();
                Object pattern = literal();
                if (!(pattern instanceof String glob)) {
                    throw new InvalidFilterException("globmatch() at position " + patternToken.position()
                            + " needs a string pattern, got " + patternToken.text());
                }
                expect(",");
                yield new GlobMatch(field(), glob);
            }
            default -> throw new InvalidFilterException("unsupported function '" + name.text() + "' at position "
                    + name.position() + " (supported: contains, globmatch)");
        };
        expect(")");
        return filter;
    }

    private Filter comparison() {
        FilterTokens.Token first = tokens.peek();
        boolean fieldFirst = first.kind() == FilterTokens.Kind.IDENTIFIER || first.kind() == FilterTokens.Kind.QUOTED_IDENTIFIER;
        String field = null;
        Object value = null;
        if (fieldFirst) {
            field = field();
        } else {
            value = literal();
        }
        FilterTokens.Token operator = tokens.next();
        if (operator.kind() != FilterTokens.Kind.COMPARATOR) {
            throw unexpected(operator, "a comparison (==, !=, <, <=, >, >=)");
        }
        if (fieldFirst) {
            value = literal();
        } else {
            field = field();
        }
        String op = fieldFirst ? operator.text() : mirrored(operator.text());
        return switch (op) {
            case "==" -> new IsEqualTo(field, value);
            case "!=" -> new IsNotEqualTo(field, value);
            case "<" -> new IsLessThan(field, comparable(value, operator));
            case "<=" -> new IsLessThanOrEqualTo(field, comparable(value, operator));
            case ">" -> new IsGreaterThan(field, comparable(value, operator));
            case ">=" -> new IsGreaterThanOrEqualTo(field, comparable(value, operator));
            default -> throw unexpected(operator, "a comparison");
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable<?> comparable(Object value, FilterTokens.Token operator) {
        return (Comparable) value;
    }

    private static String mirrored(String operator) {
        return switch (operator) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> operator;
        };
    }

    private String field() {
        FilterTokens.Token token = tokens.next();
        String name = switch (token.kind()) {
            case IDENTIFIER -> token.text();
            case QUOTED_IDENTIFIER -> jsonString(token);
            default -> throw unexpected(token, "a metadata field name");
        };
        FilterTokens.Token after = tokens.peek();
        if (after.is(".") || after.is("[")) {
            throw new InvalidFilterException("unsupported token '" + after.text() + "' at position " + after.position()
                    + ": metadata is flat, nested fields and projections are not supported");
        }
        return name;
    }

    private Object literal() {
        FilterTokens.Token token = tokens.next();
        return switch (token.kind()) {
            case RAW_STRING -> token.text();
            case JSON_LITERAL -> jsonLiteral(token);
            case IDENTIFIER, QUOTED_IDENTIFIER -> throw new InvalidFilterException("unsupported comparison at position "
                    + token.position() + ": '" + token.text() + "' is a field; compare a field with a literal "
                    + "(`json` or 'string')");
            default -> throw unexpected(token, "a literal (`json` or 'string')");
        };
    }

    private static Object jsonLiteral(FilterTokens.Token token) {
        JsonNode node;
        try {
            node = JSON.readTree(token.text());
        } catch (JsonProcessingException notJson) {
            node = null;
        }
        if (node == null || node.isMissingNode()) {
            return token.text().trim(); // JMESPath's legacy form: a bare word in backticks is a string
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        throw new InvalidFilterException("unsupported literal `" + token.text() + "` at position " + token.position()
                + ": only strings and numbers can be compared with metadata");
    }

    private String jsonString(FilterTokens.Token token) {
        try {
            return JSON.readTree(token.text()).textValue();
        } catch (JsonProcessingException e) {
            throw new InvalidFilterException("malformed quoted field " + token.text() + " at position " + token.position());
        }
    }

    private void expect(String text) {
        FilterTokens.Token token = tokens.next();
        if (!token.is(text)) {
            throw unexpected(token, "'" + text + "'");
        }
    }

    private InvalidFilterException unexpected(FilterTokens.Token token, String expected) {
        if (token.kind() == FilterTokens.Kind.END) {
            return new InvalidFilterException("metadata_filter ends early at position " + token.position()
                    + ": expected " + expected);
        }
        return new InvalidFilterException("unsupported token '" + token.text() + "' at position " + token.position()
                + ": expected " + expected);
    }
}
