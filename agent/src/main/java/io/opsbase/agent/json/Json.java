package io.opsbase.agent.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the long-running agent, which would otherwise load Jackson:
 * some 770 classes, about 12 MB of its resident memory (docs/benchmarks.md, "Agent footprint").
 * The server and the short-lived inventory process keep using Jackson through {@code ProtocolJson};
 * {@link Messages} maps the few protocol records the agent exchanges, and tests pin both to
 * Jackson's output.
 *
 * <p>Values are {@link Map} (members in document order), {@link List}, {@link String},
 * {@link Long} or {@link Double}, {@link Boolean} and {@code null}. Strings are written the way
 * Jackson writes them (so canonical bytes match): {@code "} and {@code \} escaped, {@code \b \t \n
 * \f \r} as short escapes, other control characters as {@code \}{@code u00XX}, everything else as
 * UTF-8. Stateless and thread-safe.
 */
public final class Json {

    private Json() {
    }

    /** Parses one JSON document. */
    public static Object parse(byte[] json) {
        var reader = new Reader(new String(json, StandardCharsets.UTF_8));
        reader.skipSpace();
        var value = reader.value();
        reader.skipSpace();
        if (!reader.atEnd()) {
            throw reader.error("text after the JSON value");
        }
        return value;
    }

    /** Writes a value compactly (no whitespace), in UTF-8. */
    public static byte[] write(Object value) {
        var out = new StringBuilder(256);
        append(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void append(StringBuilder out, Object value) {
        // instanceof, not a pattern switch: that bootstraps through invokedynamic and spins classes at run time.
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            appendString(out, text);
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer || value instanceof Double) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            var first = true;
            for (var member : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(out, (String) member.getKey());
                out.append(':');
                append(out, member.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A recursive-descent reader over the whole text. */
    private static final class Reader {

        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at offset " + at + ": " + what);
        }

        void skipSpace() {
            while (at < text.length()) {
                var c = text.charAt(at);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                at++;
            }
        }

        Object value() {
            if (atEnd()) {
                throw error("unexpected end");
            }
            var c = text.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || c >= '0' && c <= '9') {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw error("expected " + word);
            }
            at += word.length();
            return value;
        }

        private Map<String, Object> object() {
            var members = new LinkedHashMap<String, Object>();
            at++;
            skipSpace();
            if (peek('}')) {
                at++;
                return members;
            }
            while (true) {
                skipSpace();
                if (!peek('"')) {
                    throw error("expected a member name");
                }
                var name = string();
                skipSpace();
                expect(':');
                skipSpace();
                members.put(name, value());
                skipSpace();
                if (peek(',')) {
                    at++;
                } else {
                    expect('}');
                    return members;
                }
            }
        }

        private List<Object> array() {
            var elements = new ArrayList<Object>();
            at++;
            skipSpace();
            if (peek(']')) {
                at++;
                return elements;
            }
            while (true) {
                skipSpace();
                elements.add(value());
                skipSpace();
                if (peek(',')) {
                    at++;
                } else {
                    expect(']');
                    return elements;
                }
            }
        }

        private String string() {
            at++;
            var out = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw error("unterminated string");
                }
                var c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw error("unterminated escape");
                }
                var e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            var start = at;
            if (peek('-')) {
                at++;
            }
            var integral = true;
            while (at < text.length()) {
                var c = text.charAt(at);
                if (c >= '0' && c <= '9') {
                    at++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integral = false;
                    at++;
                } else {
                    break;
                }
            }
            var literal = text.substring(start, at);
            try {
                if (integral) {
                    return Long.parseLong(literal);
                }
                return Double.parseDouble(literal);
            } catch (NumberFormatException e) {
                throw error("bad number " + literal);
            }
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            at++;
        }
    }
}
