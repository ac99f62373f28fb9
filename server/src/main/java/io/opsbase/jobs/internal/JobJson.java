package io.opsbase.jobs.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON the jobs feature keeps in text columns (plans, definitions, parameters, targets). */
public final class JobJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<LinkedHashMap<String, String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Long>> IDS = new TypeReference<>() { };

    private JobJson() {
    }

    public static String write(Object value) {
        return value == null ? null : MAPPER.writeValueAsString(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return json == null ? null : MAPPER.readValue(json, type);
    }

    public static Map<String, String> readStrings(String json) {
        return json == null ? new LinkedHashMap<>() : MAPPER.readValue(json, STRINGS);
    }

    public static List<Long> readIds(String json) {
        return json == null ? null : MAPPER.readValue(json, IDS);
    }
}
