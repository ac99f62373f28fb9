package io.opsbase.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/**
 * A byte-exact JSON form for hashing and signing: object members sorted by name (UTF-16 code
 * unit order), no whitespace, nulls kept, strings escaped as Jackson writes them. Arrays keep
 * their order unless the caller asks {@link #sortedArrays} — used where a list is really a set
 * (packages, NICs) and its enumeration order must not change a hash.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static byte[] bytes(Object value) {
        return write(ProtocolJson.mapper().valueToTree(value), false).getBytes(StandardCharsets.UTF_8);
    }

    public static String write(JsonNode node, boolean sortedArrays) {
        var out = new StringBuilder();
        append(node, sortedArrays, out);
        return out.toString();
    }

    private static void append(JsonNode node, boolean sortedArrays, StringBuilder out) {
        if (node.isObject()) {
            var members = new TreeMap<String, JsonNode>();
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                members.put(member.getKey(), member.getValue());
            }
            out.append('{');
            var first = true;
            for (var member : members.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(member.getKey(), out);
                out.append(':');
                append(member.getValue(), sortedArrays, out);
            }
            out.append('}');
        } else if (node.isArray()) {
            List<String> elements = new ArrayList<>();
            for (JsonNode element : node) {
                elements.add(write(element, sortedArrays));
            }
            if (sortedArrays) {
                elements.sort(Comparator.naturalOrder());
            }
            out.append('[').append(String.join(",", elements)).append(']');
        } else if (node.isString()) {
            appendString(node.stringValue(), out);
        } else if (node.isInt() || node.isLong()) {
            out.append(node.longValue());
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isNull()) {
            out.append("null");
        } else {
            out.append(ProtocolJson.mapper().writeValueAsString(node));
        }
    }

    /**
     * A string as Jackson writes it. Most strings (names, versions, serials) are printable ASCII
     * without a quote or backslash, which Jackson writes between quotes unchanged: those are copied
     * directly — a generator per string was most of the cost of hashing an inventory with hundreds
     * of packages. Every other string (and a slash, which a Jackson setting may escape) goes
     * through Jackson, so the bytes never differ (CanonicalJsonTest compares both).
     */
    private static void appendString(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/') {
                out.append(ProtocolJson.mapper().writeValueAsString(s));
                return;
            }
        }
        out.append('"').append(s).append('"');
    }
}
