package dev.tandem.cli;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;

/** Parses durations such as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
final class Durations {

    private Durations() {}

    /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or a number of seconds; refuses anything else, and negative times. */
    static Duration parse(String text, String option) {
        Duration d = parseSigned(text, option);
        if (d.isNegative()) {
            throw InvalidInputException.of(option, "must not be negative, was '" + text + "'");
        }
        return d;
    }

    private static Duration parseSigned(String text, String option) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(option, "'" + text + "' is not a duration such as 500ms, 10s, 2m or 1h");
        }
    }
}
