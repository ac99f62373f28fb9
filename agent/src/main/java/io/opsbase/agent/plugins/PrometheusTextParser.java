package io.opsbase.agent.plugins;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text, as a node_exporter,
 * an application's {@code /metrics} or a script prints them.
 *
 * <p>Like Prometheus, it refuses the whole exposition when any line is malformed (the error names
 * the line), rather than keep a partial and misleading picture. Accepted: {@code # HELP},
 * {@code # TYPE} and {@code # UNIT} lines, other comments, blank lines, label values with the
 * escapes {@code \\ \" \n}, quoted UTF-8 metric and label names inside the braces
 * ({@code {"my.metric", "my.label"="x"}}), the values {@code NaN}, {@code +Inf}, {@code -Inf},
 * timestamps (integer milliseconds in the text format, decimal seconds in OpenMetrics) and
 * OpenMetrics exemplars, which are skipped. A label with an empty value is dropped, as Prometheus
 * treats it as absent. OpenMetrics output must end with {@code # EOF}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PrometheusTextParser {

    /** Which dialect an exposition is in; OpenMetrics when the server said so in its content type. */
    public enum Format {
        TEXT, OPENMETRICS;

        public static Format fromContentType(String contentType) {
            return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
                    ? OPENMETRICS : TEXT;
        }
    }

    private final int maxSamples;

    /** @param maxSamples more samples than this fail the exposition (Prometheus's {@code sample_limit}) */
    public PrometheusTextParser(int maxSamples) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be positive");
        }
        this.maxSamples = maxSamples;
    }

    public ScrapeResult parse(String exposition, Format format) throws PluginOutputException {
        List<MetricPoint> points = new ArrayList<>();
        Map<String, MetricType> types = new HashMap<>();
        Map<String, String> help = new HashMap<>();
        boolean sawEof = false;
        int lineNumber = 0;
        int start = 0;
        while (start < exposition.length()) {
            int end = exposition.indexOf('\n', start);
            if (end < 0) {
                end = exposition.length();
            }
            lineNumber++;
            String line = exposition.substring(start, end);
            start = end + 1;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (sawEof) {
                if (!line.isBlank()) {
                    throw new PluginOutputException(lineNumber, "text after # EOF");
                }
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.charAt(0) == '#') {
                sawEof = readComment(trimmed, lineNumber, format, types, help);
                continue;
            }
            points.add(new SampleLine(line, lineNumber, format).read());
            if (points.size() > maxSamples) {
                throw new PluginOutputException(0, "more than " + maxSamples + " samples (the item's sample limit)");
            }
        }
        if (format == Format.OPENMETRICS && !sawEof) {
            throw new PluginOutputException(0, "OpenMetrics exposition does not end with # EOF (truncated?)");
        }
        return new ScrapeResult(points, types, help);
    }

    /** Handles a comment line; answers whether it was OpenMetrics' {@code # EOF}. */
    private static boolean readComment(String line, int lineNumber, Format format, Map<String, MetricType> types,
            Map<String, String> help) throws PluginOutputException {
        String[] parts = line.substring(1).strip().split("[ \t]+", 3);
        String keyword = parts[0];
        if (keyword.equals("EOF") && parts.length == 1) {
            return format == Format.OPENMETRICS;
        }
        if (!keyword.equals("HELP") && !keyword.equals("TYPE") && !keyword.equals("UNIT")) {
            return false;
        }
        if (parts.length < 2 || !isMetricName(parts[1])) {
            throw new PluginOutputException(lineNumber, "# " + keyword + " without a valid metric name");
        }
        String name = parts[1];
        String rest = parts.length == 3 ? parts[2] : "";
        switch (keyword) {
            case "HELP" -> help.put(name, unescapeHelp(rest));
            case "TYPE" -> {
                MetricType type;
                try {
                    type = MetricType.parse(rest.strip());
                } catch (IllegalArgumentException e) {
                    throw new PluginOutputException(lineNumber, e.getMessage());
                }
                if (types.putIfAbsent(name, type) != null) {
                    throw new PluginOutputException(lineNumber, "second # TYPE line for " + name);
                }
            }
            default -> { } // UNIT: the unit is part of an OpenMetrics name already
        }
        return false;
    }

    private static String unescapeHelp(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static boolean isMetricName(String s) {
        if (s.isEmpty() || !(isLetter(s.charAt(0)) || s.charAt(0) == '_' || s.charAt(0) == ':')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '_' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Reads a sample value as Go's ParseFloat does for expositions, without Java's extra forms ("1d", "0x1p3"). */
    static double parseValue(String token) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (token.isEmpty()) {
            throw new NumberFormatException("empty value");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                throw new NumberFormatException("'" + token + "' is not a number");
            }
        }
        return Double.parseDouble(token);
    }

    /** One sample line, read left to right with a cursor. */
    private static final class SampleLine {
        private final String line;
        private final int number;
        private final Format format;
        private int pos;

        SampleLine(String line, int number, Format format) {
            this.line = line;
            this.number = number;
            this.format = format;
        }

        MetricPoint read() throws PluginOutputException {
            skipBlanks();
            String name = null;
            if (peek() != '{') {
                int from = pos;
                while (pos < line.length() && !isBlank(line.charAt(pos)) && line.charAt(pos) != '{') {
                    pos++;
                }
                name = line.substring(from, pos);
                if (!isMetricName(name)) {
                    throw fail("'" + name + "' is not a valid metric name");
                }
            }
            int beforeBlanks = pos;
            skipBlanks();
            TreeMap<String, String> labels = new TreeMap<>();
            if (peek() == '{') {
                name = readLabels(name, labels);
                beforeBlanks = pos;
                skipBlanks();
            }
            if (name == null) {
                throw fail("sample without a metric name");
            }
            if (pos == beforeBlanks && pos < line.length()) {
                throw fail("expected a space before the value");
            }
            String valueToken = token();
            if (valueToken.isEmpty()) {
                throw fail("sample without a value");
            }
            double value;
            try {
                value = parseValue(valueToken);
            } catch (NumberFormatException e) {
                throw fail("bad value: " + e.getMessage());
            }
            skipBlanks();
            long timestamp = MetricPoint.NO_TIMESTAMP;
            if (pos < line.length() && !isExemplar()) {
                timestamp = readTimestamp(token());
                skipBlanks();
            }
            if (pos < line.length() && !isExemplar()) {
                throw fail("unexpected text after the " + (timestamp == MetricPoint.NO_TIMESTAMP ? "value" : "timestamp"));
            }
            return new MetricPoint(name, labels, value, timestamp);
        }

        private boolean isExemplar() {
            return format == Format.OPENMETRICS && peek() == '#';
        }

        private long readTimestamp(String token) throws PluginOutputException {
            try {
                if (format == Format.OPENMETRICS) {
                    return new BigDecimal(token).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
                }
                return Long.parseLong(token);
            } catch (NumberFormatException | ArithmeticException e) {
                throw fail("bad timestamp '" + token + "'");
            }
        }

        /** Reads {@code {...}} into labels; answers the metric name, which may be quoted inside the braces. */
        private String readLabels(String name, Map<String, String> labels) throws PluginOutputException {
            pos++; // '{'
            while (true) {
                skipBlanks();
                if (peek() == '}') {
                    pos++;
                    return name;
                }
                String labelName;
                if (peek() == '"') {
                    String quoted = quoted();
                    skipBlanks();
                    if (peek() != '=') {
                        if (name != null) {
                            throw fail("two metric names");
                        }
                        name = quoted;
                        if (!separator()) {
                            pos++;
                            return name;
                        }
                        continue;
                    }
                    labelName = quoted;
                } else {
                    int from = pos;
                    while (pos < line.length() && (isLetter(line.charAt(pos)) || isDigit(line.charAt(pos)) || line.charAt(pos) == '_')) {
                        pos++;
                    }
                    labelName = line.substring(from, pos);
                    if (labelName.isEmpty() || isDigit(labelName.charAt(0))) {
                        throw fail("bad label name at column " + (from + 1));
                    }
                    skipBlanks();
                }
                if (peek() != '=') {
                    throw fail("expected '=' after label " + labelName);
                }
                pos++;
                skipBlanks();
                String value = quoted();
                if (labels.containsKey(labelName)) {
                    throw fail("label " + labelName + " appears twice");
                }
                if (!value.isEmpty()) {
                    labels.put(labelName, value);
                }
                if (!separator()) {
                    pos++;
                    return name;
                }
            }
        }

        /** After a label: true on ',' (consumed), false on '}' (not consumed); anything else fails. */
        private boolean separator() throws PluginOutputException {
            skipBlanks();
            char c = peek();
            if (c == ',') {
                pos++;
                return true;
            }
            if (c == '}') {
                return false;
            }
            throw fail("expected ',' or '}' at column " + (pos + 1));
        }

        private String quoted() throws PluginOutputException {
            if (peek() != '"') {
                throw fail("expected '\"' at column " + (pos + 1));
            }
            pos++;
            StringBuilder out = new StringBuilder();
            while (pos < line.length()) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (pos >= line.length()) {
                        break;
                    }
                    char next = line.charAt(pos++);
                    switch (next) {
                        case '\\' -> out.append('\\');
                        case '"' -> out.append('"');
                        case 'n' -> out.append('\n');
                        default -> throw fail("invalid escape \\" + next + " in a label value");
                    }
                } else {
                    out.append(c);
                }
            }
            throw fail("label value is not terminated");
        }

        private String token() {
            int from = pos;
            while (pos < line.length() && !isBlank(line.charAt(pos))) {
                pos++;
            }
            return line.substring(from, pos);
        }

        private char peek() {
            return pos < line.length() ? line.charAt(pos) : '\0';
        }

        private void skipBlanks() {
            while (pos < line.length() && isBlank(line.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t';
        }

        private PluginOutputException fail(String message) {
            return new PluginOutputException(number, message);
        }
    }
}
