package io.opsbase.monitoring.internal;

import java.util.Map;
import java.util.TreeMap;

import io.opsbase.protocol.ProtocolJson;
import tools.jackson.core.type.TypeReference;

/** Label maps as JSON text in a column, sorted by name so equal maps store equal text. */
final class LabelsJson {

    private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() { };

    private LabelsJson() {
    }

    static String write(Map<String, String> labels) {
        return ProtocolJson.mapper().writeValueAsString(new TreeMap<>(labels));
    }

    static Map<String, String> read(String json) {
        return json == null || json.isBlank() ? Map.of() : ProtocolJson.mapper().readValue(json, TYPE);
    }
}
