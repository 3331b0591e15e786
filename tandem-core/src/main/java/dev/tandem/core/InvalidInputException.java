package dev.tandem.core;

/** Input to a public entry point was rejected before anything was written. */
public final class InvalidInputException extends NonTransientException {

    private final String field;

    private InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The name of the offending argument or field. */
    public String field() {
        return field;
    }

    public static InvalidInputException of(String field, String problem) {
        return new InvalidInputException(field, problem);
    }

    public static InvalidInputException nullValue(String field) {
        return new InvalidInputException(field, "must not be null");
    }

    public static InvalidInputException blank(String field) {
        return new InvalidInputException(field, "must not be blank");
    }

    public static InvalidInputException tooLong(String field, int length, int max) {
        return new InvalidInputException(field, "is " + length + " characters long, the limit is " + max);
    }

    public static InvalidInputException tooLarge(String field, long bytes, long maxBytes) {
        return new InvalidInputException(field, "is " + bytes + " bytes, the limit is " + maxBytes);
    }

    public static InvalidInputException negative(String field, long value) {
        return new InvalidInputException(field, "must not be negative, was " + value);
    }

    /** Returns {@code value} when it is non-null, else throws. */
    public static <T> T requireNonNull(T value, String field) {
        if (value == null) {
            throw nullValue(field);
        }
        return value;
    }

    /** Returns {@code value} when it is non-null, non-blank and at most {@code max} characters, else throws. */
    public static String requireText(String value, String field, int max) {
        if (value == null) {
            throw nullValue(field);
        }
        int length = value.length();
        if (length > max) {
            throw value.isBlank() ? blank(field) : tooLong(field, length, max);
        }
        // One pass for both checks (this runs on every id and header the engine handles): the first control
        // character, and whether anything but white space occurs; a blank value is reported as blank.
        int control = -1;
        boolean blank = true;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= '\u007f') {
                if (control < 0 && Character.isISOControl(c)) {
                    control = i;
                }
                if (blank && !Character.isWhitespace(c)) {
                    blank = false;
                }
            } else {
                blank = false;
            }
        }
        if (blank) {
            throw blank(field);
        }
        if (control >= 0) {
            throw of(field, "contains a control character at index " + control);
        }
        return value;
    }
}
