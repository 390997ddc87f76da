package dev.eventrelay.mapping;

/** The row rules for an event type name: not empty, no period, not purely numeric, at most 64 characters. */
public final class EventTypeRules {

    public static final int MAX_LENGTH = 64;

    private EventTypeRules() {
    }

    /** Why {@code name} is not a valid event type, or null when it is. */
    public static String violation(String name) {
        if (name == null || name.isBlank()) {
            return "event type is empty";
        }
        if (name.indexOf('.') >= 0) {
            return "event type " + Excerpt.quote(name) + " contains a period";
        }
        if (allDigits(name)) {
            return "event type " + Excerpt.quote(name) + " is purely numeric";
        }
        if (name.length() > MAX_LENGTH) {
            return "event type '" + Excerpt.name(name) + "' is " + String.format("%,d", name.length())
                    + " characters long, at most " + MAX_LENGTH
                    + " are allowed";
        }
        return null;
    }

    private static boolean allDigits(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
