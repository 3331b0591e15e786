package dev.tandem.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
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
    private static final int SECOND_LENGTH = 19; // yyyy-MM-ddTHH:mm:ss
    private static final int DATE_LENGTH = 11; // yyyy-MM-ddT
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long YEAR_0 = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long YEAR_10000 = 253_402_300_800L; // 10000-01-01T00:00:00Z

    private static Day lastDay;

    private Rfc3339() {}

    /** The same text as {@link Instant#toString()}. */
    public static String formatUtc(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= YEAR_10000) {
            return instant.toString(); // a sign or more than four digits, and beyond LocalDateTime's range at the extremes
        }
        long epochDay = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) (seconds - epochDay * SECONDS_PER_DAY);
        Day day = lastDay; // most instants formatted fall on the same day as the one before
        if (day == null || day.epochDay() != epochDay) {
            day = Day.of(epochDay);
            lastDay = day;
        }
        char[] c = new char[30];
        day.text().getChars(0, DATE_LENGTH, c, 0);
        twoDigits(c, 11, secondOfDay / 3600);
        c[13] = ':';
        twoDigits(c, 14, secondOfDay / 60 % 60);
        c[16] = ':';
        twoDigits(c, 17, secondOfDay % 60);
        int length = SECOND_LENGTH;
        int nano = instant.getNano();
        if (nano != 0) {
            c[length++] = '.';
            int width = 9;
            if (nano % 1_000_000 == 0) {
                nano /= 1_000_000;
                width = 3;
            } else if (nano % 1_000 == 0) {
                nano /= 1_000;
                width = 6;
            }
            for (int i = length + width - 1; i >= length; i--) { // right to left: only divisions by the constant 10
                c[i] = (char) ('0' + nano % 10);
                nano /= 10;
            }
            length += width;
        }
        c[length++] = 'Z';
        return new String(c, 0, length);
    }

    /** {@code value} (0–99) as two digits at {@code c[at]}. */
    private static void twoDigits(char[] c, int at, int value) {
        c[at] = (char) ('0' + value / 10);
        c[at + 1] = (char) ('0' + value % 10);
    }

    /** A day's date part, {@code yyyy-MM-ddT}; immutable, so it can be shared between threads through a plain field. */
    private record Day(long epochDay, String text) {
        static Day of(long epochDay) {
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            char[] c = new char[DATE_LENGTH];
            int year = date.getYear();
            for (int i = 3; i >= 0; i--) {
                c[i] = (char) ('0' + year % 10);
                year /= 10;
            }
            c[4] = '-';
            twoDigits(c, 5, date.getMonthValue());
            c[7] = '-';
            twoDigits(c, 8, date.getDayOfMonth());
            c[10] = 'T';
            return new Day(epochDay, new String(c));
        }
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
}
