package io.opsbase.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A series identity in Prometheus notation: {@code cpu_usage{cpu="total",host="42"}}. Labels are
 * kept sorted by name, so two keys with the same labels in any order are equal and format to the
 * same canonical text, which is what the series index stores.
 */
public record SeriesKey(String name, SortedMap<String, String> labels) {

    public SeriesKey {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("metric name is empty");
        }
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    public static SeriesKey of(String name, Map<String, String> labels) {
        return new SeriesKey(name, new TreeMap<>(labels));
    }

    /** Parses {@code name}, {@code name{}} or {@code name{a="x",b="y\"z"}} (escapes: \\ \" \n). */
    public static SeriesKey parse(String text) {
        int brace = text.indexOf('{');
        if (brace < 0) {
            return new SeriesKey(text.strip(), new TreeMap<>());
        }
        String name = text.substring(0, brace).strip();
        TreeMap<String, String> labels = new TreeMap<>();
        int i = brace + 1;
        int n = text.length();
        while (true) {
            i = skipSpacesAndCommas(text, i);
            if (i >= n) {
                throw new IllegalArgumentException("unterminated labels: " + text);
            }
            if (text.charAt(i) == '}') {
                if (!text.substring(i + 1).isBlank()) {
                    throw new IllegalArgumentException("text after labels: " + text);
                }
                return new SeriesKey(name, labels);
            }
            int eq = text.indexOf('=', i);
            if (eq < 0 || eq + 1 >= n || text.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("expected label=\"value\" at " + i + ": " + text);
            }
            String label = text.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= n) {
                    throw new IllegalArgumentException("unterminated label value: " + text);
                }
                char c = text.charAt(j++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && j < n) {
                    char e = text.charAt(j++);
                    value.append(e == 'n' ? '\n' : e);
                } else {
                    value.append(c);
                }
            }
            if (labels.put(label, value.toString()) != null) {
                throw new IllegalArgumentException("duplicate label " + label + ": " + text);
            }
            i = j;
        }
    }

    private static int skipSpacesAndCommas(String text, int i) {
        while (i < text.length() && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
            i++;
        }
        return i;
    }

    /** Canonical text: labels sorted, values escaped; {@code parse(format())} gives back an equal key. */
    public String format() {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder out = new StringBuilder(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(label.getKey()).append("=\"");
            for (char c : label.getValue().toCharArray()) {
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '\n' -> out.append("\\n");
                    default -> out.append(c);
                }
            }
            out.append('"');
        }
        return out.append('}').toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
