package io.opsbase.agent.json;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Instants as the protocol writes them ({@code 2026-11-28T10:00:00.123Z}, the form of
 * {@link Instant#toString} and Jackson) and HTTP dates ({@code Sat, 28 Nov 2026 10:00:00 GMT}),
 * formatted and parsed by plain arithmetic: {@code java.time.format} is some 60 classes, about 1 MB
 * of the idle agent's resident memory. Anything outside the common form falls back to
 * {@code java.time}. {@code TimestampsTest} checks both against {@code java.time}.
 */
public final class Timestamps {

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private Timestamps() {
    }

    /** The same text as {@link Instant#toString} for years 0 to 9999. */
    public static String format(Instant instant) {
        var seconds = instant.getEpochSecond();
        var days = Math.floorDiv(seconds, 86_400L);
        var secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        var date = civilFromDays(days);
        if (date[0] < 0 || date[0] > 9999) {
            return instant.toString();
        }
        var out = new StringBuilder(30);
        pad(out, date[0], 4).append('-');
        pad(out, date[1], 2).append('-');
        pad(out, date[2], 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2);
        var nanos = instant.getNano();
        if (nanos > 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(out, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(out, nanos / 1_000, 6);
            } else {
                pad(out, nanos, 9);
            }
        }
        return out.append('Z').toString();
    }

    /** Parses {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}; other ISO-8601 forms go to {@link Instant#parse}. */
    public static Instant parse(String text) {
        var n = text.length();
        if (n < 20 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        var nanos = 0;
        if (n > 20) {
            if (text.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return Instant.parse(text);
            }
            nanos = digits(text, 20, n - 1);
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        }
        var year = digits(text, 0, 4);
        var month = digits(text, 5, 7);
        var day = digits(text, 8, 10);
        var hour = digits(text, 11, 13);
        var minute = digits(text, 14, 16);
        var second = digits(text, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || nanos < 0) {
            return Instant.parse(text);
        }
        return Instant.ofEpochSecond(daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second, nanos);
    }

    /** Parses an RFC 1123 HTTP date, {@code Sat, 28 Nov 2026 10:00:00 GMT}. */
    public static Instant parseHttpDate(String text) {
        if (text.length() == 29 && text.charAt(3) == ',' && text.endsWith(" GMT")) {
            var month = -1;
            for (int i = 0; i < MONTHS.length; i++) {
                if (text.startsWith(MONTHS[i], 8)) {
                    month = i + 1;
                }
            }
            var day = digits(text, 5, 7);
            var year = digits(text, 12, 16);
            var hour = digits(text, 17, 19);
            var minute = digits(text, 20, 22);
            var second = digits(text, 23, 25);
            if (month > 0 && day >= 1 && year >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
                return Instant.ofEpochSecond(daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second);
            }
        }
        return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    /** The decimal number in {@code text[from, to)}, or -1 if it holds anything but digits. */
    private static int digits(String text, int from, int to) {
        var value = 0;
        for (int i = from; i < to; i++) {
            var c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        var digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        var y = month <= 2 ? year - 1 : year;
        var era = Math.floorDiv(y, 400);
        var yearOfEra = y - era * 400;
        var dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        var dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    /** Year, month, day of a count of days since 1970-01-01 (H. Hinnant's civil_from_days). */
    static int[] civilFromDays(long days) {
        var z = days + 719_468L;
        var era = Math.floorDiv(z, 146_097L);
        var dayOfEra = (int) (z - era * 146_097L);
        var yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        var dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        var mp = (5 * dayOfYear + 2) / 153;
        var day = dayOfYear - (153 * mp + 2) / 5 + 1;
        var month = mp < 10 ? mp + 3 : mp - 9;
        var year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        return new int[] {year, month, day};
    }
}
