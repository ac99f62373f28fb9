package io.opsbase.monitoring;

import java.time.Duration;

/** Short texts for durations and thresholds in rule expressions and notifications ({@code 5m}, {@code 1h30m}, {@code 90}). */
final class Durations {

    private Durations() {
    }

    static String text(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long[] units = {86400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                out.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return out.toString();
    }

    /** Reads {@code 0}, {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 2d} or ISO-8601 ({@code PT5M}); null when unreadable. */
    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        var m = java.util.regex.Pattern.compile("(\\d+)([dhms])").matcher(t);
        long seconds = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            seconds += switch (m.group(2)) {
                case "d" -> n * 86400;
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
            end = m.end();
        }
        return end == t.length() && end > 0 ? Duration.ofSeconds(seconds) : null;
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
