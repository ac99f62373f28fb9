package io.opsbase.cmdb.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON the CMDB stores in text columns (attributes, lifecycles, history values). Floats are
 * read as BigDecimal so a stored decimal reads back exactly as it was written.
 */
public final class CmdbJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private CmdbJson() {
    }

    public static String write(Object value) {
        return value == null ? null : MAPPER.writeValueAsString(value);
    }

    public static Map<String, Object> readMap(String json) {
        return json == null ? new LinkedHashMap<>() : MAPPER.readValue(json, MAP);
    }

    public static List<String> readStrings(String json) {
        return json == null ? List.of() : MAPPER.readValue(json, STRINGS);
    }

    public static Object readValue(String json) {
        return json == null ? null : MAPPER.readValue(json, Object.class);
    }

    public static JsonNode readTree(String json) {
        return json == null ? null : MAPPER.readTree(json);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /** Whether two values have the same JSON form (so 8 and 8L, or BigDecimal 1.5 and 1.50 after normalising, are equal). */
    public static boolean same(Object a, Object b) {
        return java.util.Objects.equals(write(a), write(b));
    }
}
