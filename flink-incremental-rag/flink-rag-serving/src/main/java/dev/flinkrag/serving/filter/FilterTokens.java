package dev.flinkrag.serving.filter;

import java.util.ArrayList;
import java.util.List;

/** Splits a metadata filter into tokens, each with its position (counted from 0) for error messages. */
final class FilterTokens {

    enum Kind { IDENTIFIER, QUOTED_IDENTIFIER, RAW_STRING, JSON_LITERAL, COMPARATOR, SYMBOL, END }

    record Token(Kind kind, String text, int position) {
        boolean is(String symbol) {
            return (kind == Kind.SYMBOL || kind == Kind.COMPARATOR) && text.equals(symbol);
        }
    }

    private final List<Token> tokens = new ArrayList<>();
    private int next;

    FilterTokens(String source) {
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_')) {
                    end++;
                }
                tokens.add(new Token(Kind.IDENTIFIER, source.substring(i, end), i));
                i = end;
            } else if (c == '"') {
                int end = closing(source, i, '"');
                tokens.add(new Token(Kind.QUOTED_IDENTIFIER, source.substring(i, end + 1), i));
                i = end + 1;
            } else if (c == '\'') {
                int end = closing(source, i, '\'');
                tokens.add(new Token(Kind.RAW_STRING, source.substring(i + 1, end).replace("\\'", "'"), i));
                i = end + 1;
            } else if (c == '`') {
                int end = closing(source, i, '`');
                tokens.add(new Token(Kind.JSON_LITERAL, source.substring(i + 1, end).replace("\\`", "`"), i));
                i = end + 1;
            } else {
                String two = i + 1 < source.length() ? source.substring(i, i + 2) : "";
                if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")) {
                    tokens.add(new Token(Kind.COMPARATOR, two, i));
                    i += 2;
                } else if (two.equals("&&") || two.equals("||")) {
                    tokens.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if (c == '<' || c == '>') {
                    tokens.add(new Token(Kind.COMPARATOR, String.valueOf(c), i));
                    i++;
                } else {
                    // one character: ( ) , ! and whatever the parser then names as unsupported (. [ | @ * …)
                    tokens.add(new Token(Kind.SYMBOL, source.substring(i, i + Character.charCount(source.codePointAt(i))), i));
                    i += Character.charCount(source.codePointAt(i));
                }
            }
        }
        tokens.add(new Token(Kind.END, "", source.length()));
    }

    /** The index of the unescaped {@code quote} closing the one at {@code start}. */
    private static int closing(String source, int start, char quote) {
        for (int i = start + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        throw new InvalidFilterException("unterminated " + quote + " opened at position " + start);
    }

    Token peek() {
        return tokens.get(next);
    }

    Token peekSecond() {
        return tokens.get(Math.min(next + 1, tokens.size() - 1));
    }

    Token next() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }
}
