package dev.eventrelay.ingest.upload;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The name an uploaded file is recorded under (run file, {@code origin.file}, errors.csv). The name
 * carries no rules, but it never carries a path: only the part after the last {@code /} or
 * {@code \} is kept, so {@code ../../etc/passwd} is recorded as {@code passwd}. Spaces and any
 * Unicode letters stay. Refused, with the reason: control and invisible formatting characters
 * (Unicode Cc and Cf: line breaks, NUL, bidirectional overrides), a name longer than
 * {@value #MAX_LENGTH} characters, and a name that is empty, {@code .} or {@code ..} once its path
 * is gone. Without a name, one is generated: {@code upload-<yyyyMMdd-HHmmss>-<8 hex>.csv}.
 */
public final class UploadFileName {

    public static final int MAX_LENGTH = 255;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /** The name cannot be used; the message says why. */
    public static final class RefusedException extends IllegalArgumentException {
        RefusedException(String message) {
            super(message);
        }
    }

    private UploadFileName() {
    }

    /** The recorded name of {@code given} (the {@code file_name} parameter, may be null), or a generated one. */
    public static String of(String given, Instant now) {
        if (given == null || given.isBlank()) {
            return "upload-" + STAMP.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
        }
        for (int i = 0; i < given.length(); ) {
            int c = given.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT) {
                throw new RefusedException("file_name has the control character U+"
                        + String.format("%04X", c) + " at position " + (given.codePointCount(0, i) + 1)
                        + "; file names may not hold control or invisible formatting characters");
            }
            i += Character.charCount(c);
        }
        String name = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new RefusedException("file_name '" + given + "' names no file once its path is removed");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            throw new RefusedException("file_name is " + length + " characters long; at most " + MAX_LENGTH);
        }
        return name;
    }
}
