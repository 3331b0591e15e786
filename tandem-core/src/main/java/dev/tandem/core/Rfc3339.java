package dev.tandem.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * RFC 3339 timestamps in the one form Tandem writes, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (what
 * {@link Instant#toString()} gives for years 0–9999), without the general {@code java.time} formatter
 * and parser: on the hot paths (Kafka headers, the saga protocol's JSON) they cost more than the rest
 * of a message's encoding. Anything else is left to {@code java.time}.
 */
public final class Rfc3339 {

    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    private static final int SECOND_LENGTH = 19; // yyyy-MM-ddTHH:mm:ss
    private static final long YEAR_0 = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long YEAR_10000 = 253_402_300_800L; // 10000-01-01T00:00:00Z

    private Rfc3339() {}

    /** The same text as {@link Instant#toString()}. */
    public static String formatUtc(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= YEAR_10000) {
            return instant.toString(); // a sign or more than four digits, and beyond LocalDateTime's range at the extremes
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(30);
        digits(b, t.getYear(), 4).append('-');
        digits(b, t.getMonthValue(), 2).append('-');
        digits(b, t.getDayOfMonth(), 2).append('T');
        digits(b, t.getHour(), 2).append(':');
        digits(b, t.getMinute(), 2).append(':');
        digits(b, t.getSecond(), 2);
        int nano = instant.getNano();
        if (nano != 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) {
                digits(b, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(b, nano / 1_000, 6);
            } else {
                digits(b, nano, 9);
            }
        }
        return b.append('Z').toString();
    }

    /**
     * {@code text} as an instant when it has exactly the form {@code yyyy-MM-ddTHH:mm:ss[.1–9 digits]Z} and names a
     * real time; null otherwise (the caller then falls back to the general parser, which also explains what is wrong).
     */
    public static Instant parseUtc(String text) {
        int length = text.length();
        if (length < SECOND_LENGTH + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int nano = 0;
        int fraction = length - 1 - SECOND_LENGTH;
        if (fraction > 0) {
            int digits = fraction - 1;
            if (text.charAt(SECOND_LENGTH) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int value = number(text, SECOND_LENGTH + 1, digits);
            nano = value < 0 ? -1 : value * SCALE[digits];
        }
        if ((year | month | day | hour | minute | second | nano) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // e.g. February 30th: the general parser reports it
        }
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 when any of it is not a digit. */
    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** {@code value} (below 10^width) in {@code width} digits, zero-padded. */
    private static StringBuilder digits(StringBuilder b, int value, int width) {
        for (int scale = POWERS[width - 1]; scale > 0; scale /= 10) {
            b.append((char) ('0' + value / scale % 10));
        }
        return b;
    }
}
