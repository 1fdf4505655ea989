package dev.flinkrag.chunking;

/**
 * Text every store can hold: PostgreSQL refuses NUL in {@code text} and {@code jsonb}, and an unpaired surrogate
 * is not Unicode at all (encoders replace it, each in its own way). Control characters carry nothing a search
 * could use, so they go; tab, line feed, carriage return and form feed stay, because they shape paragraphs.
 */
final class StoreSafeText {

    private StoreSafeText() {}

    /** {@code text} without control characters other than tab, line and page breaks; unpaired surrogates as U+FFFD. */
    static String of(String text) {
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder safe = new StringBuilder(text.length()).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                safe.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                safe.append('\uFFFD');
            } else if (!isDroppedControl(c)) {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    /** Whether {@code text[start, end)} holds a letter or digit: a chunk without one is not worth a vector. */
    static boolean hasLetterOrDigit(String text, int start, int end) {
        for (int i = start; i < end; ) {
            int codePoint = text.codePointAt(i);
            if (Character.isLetterOrDigit(codePoint)) {
                return true;
            }
            i += Character.charCount(codePoint);
        }
        return false;
    }

    /** Whether {@link #of} would leave {@code text} as it is. */
    static boolean isSafe(String text) {
        return firstUnsafe(text) < 0;
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isDroppedControl(c)) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isDroppedControl(char c) {
        return Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r' && c != '\f';
    }
}
