package io.opsbase.monitoring;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST/PUT /api/v1/templates}. Items:
 * {@code {"key", "type": "collector|check|prometheus|script", "target", "arguments": [...],
 * "interval": "1m", "timeout": "10s", "maxOutputBytes": 0, "account": null}}.
 */
public record TemplateInput(String name, String description, Long parentId, List<String> bindClasses,
        Map<String, String> bindAttributes, List<String> bindTags, List<Item> items, Map<String, String> macros) {

    public record Item(String key, String type, String target, List<String> arguments, String interval, String timeout,
            Integer maxOutputBytes, String account) {
    }
}
