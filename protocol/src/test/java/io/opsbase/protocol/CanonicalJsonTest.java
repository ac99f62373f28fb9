package io.opsbase.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class CanonicalJsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The canonical form as it was written before the fast path: every key and scalar through Jackson. */
    private static String reference(JsonNode node, boolean sortedArrays) {
        var out = new StringBuilder();
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
                out.append(ProtocolJson.mapper().writeValueAsString(member.getKey())).append(':')
                        .append(reference(member.getValue(), sortedArrays));
            }
            out.append('}');
        } else if (node.isArray()) {
            List<String> elements = new ArrayList<>();
            for (JsonNode element : node) {
                elements.add(reference(element, sortedArrays));
            }
            if (sortedArrays) {
                elements.sort(Comparator.naturalOrder());
            }
            out.append('[').append(String.join(",", elements)).append(']');
        } else {
            out.append(ProtocolJson.mapper().writeValueAsString(node));
        }
        return out.toString();
    }

    private static String randomString(Random random) {
        int length = random.nextInt(12);
        var s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(switch (random.nextInt(6)) {
                case 0 -> (char) random.nextInt(0x20);          // control characters
                case 1 -> (char) (0x7f + random.nextInt(0x200)); // DEL, Latin-1, beyond
                case 2 -> "\\\"/<>&'\u2028\u2029\uD83D\uDE00".charAt(random.nextInt(11));
                default -> (char) (0x20 + random.nextInt(0x5f)); // printable ASCII
            });
        }
        return s.toString();
    }

    @Test
    void writesEveryPrintableAsciiCharacterAsJacksonDoes() {
        for (char c = 0; c < 0x300; c++) {
            ObjectNode node = NODES.objectNode().put("k" + c, "v" + c + "w");
            assertThat(CanonicalJson.write(node, false)).as("char %d", (int) c).isEqualTo(reference(node, false));
        }
    }

    @Test
    void writesRandomTreesByteForByteAsBefore() {
        Random random = new Random(20261129);
        for (int round = 0; round < 2_000; round++) {
            ObjectNode root = NODES.objectNode();
            ArrayNode packages = root.putArray(randomString(random));
            for (int i = 0; i < 5; i++) {
                ObjectNode p = packages.addObject();
                p.put("name", randomString(random));
                p.put(randomString(random), randomString(random));
                p.put("size", random.nextLong());
                p.put("count", random.nextInt());
                p.put("ratio", random.nextDouble() * 1e6);
                p.put("flag", random.nextBoolean());
                p.putNull("none");
                p.put("big", new java.math.BigInteger(80, random));
            }
            for (boolean sorted : new boolean[] {false, true}) {
                assertThat(CanonicalJson.write(root, sorted)).isEqualTo(reference(root, sorted));
            }
        }
    }
}
