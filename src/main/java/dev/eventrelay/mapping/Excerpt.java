package dev.eventrelay.mapping;

/**
 * Bounded pieces of what a file said, for reasons and stored raw lines: a reason quotes at most
 * {@value #QUOTE_CHARS} characters of a value or column name, so a 10 MB cell cannot make a 10 MB
 * reason (reasons are stored in columns of 4,000 characters).
 */
public final class Excerpt {

    public static final int QUOTE_CHARS = 100;

    private Excerpt() {
    }

    /** {@code text} in single quotes, cut to {@value #QUOTE_CHARS} characters with its length when longer. */
    public static String quote(String text) {
        if (text.length() <= QUOTE_CHARS) {
            return "'" + text + "'";
        }
        return "'" + text.substring(0, QUOTE_CHARS) + "…' (" + String.format("%,d", text.length()) + " characters)";
    }

    /** {@code text} (a column name) as it is, or its first {@value #QUOTE_CHARS} characters and an ellipsis. */
    public static String name(String text) {
        return text.length() <= QUOTE_CHARS ? text : text.substring(0, QUOTE_CHARS) + "…";
    }

    /** {@code text} cut to {@code max} characters, with a marker saying so when it was longer. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "…[cut after " + String.format("%,d", max) + " characters]";
    }
}
