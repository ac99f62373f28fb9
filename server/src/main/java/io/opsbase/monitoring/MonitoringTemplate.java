package io.opsbase.monitoring;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.protocol.MonitoringItem;

/**
 * A monitoring template: items the agents of its hosts run (and, through rules that name it,
 * triggers), bound to CIs by a CMDB query — every CI of one of {@code bindClasses} whose attributes
 * have the {@code bindAttributes} values and which carries all {@code bindTags} — or explicitly.
 * A template with a parent inherits the parent's items and macros and may override them by key or
 * name. Macros ({@code {$NAME}}) in item targets and arguments take the host's value first, then the
 * template's, then its parent's.
 */
public record MonitoringTemplate(long id, String name, String description, Long parentId, List<String> bindClasses,
        Map<String, String> bindAttributes, List<String> bindTags, boolean builtin, List<MonitoringItem> items,
        Map<String, String> macros, Instant updatedAt) {

    public MonitoringTemplate {
        bindClasses = List.copyOf(bindClasses);
        bindAttributes = Map.copyOf(bindAttributes);
        bindTags = List.copyOf(bindTags);
        items = List.copyOf(items);
        macros = Map.copyOf(macros);
    }

    /** Whether the CMDB query binds this CI (explicit links are checked elsewhere). */
    public boolean matches(ConfigurationItem ci) {
        if (ci.retired() || bindClasses.isEmpty() || !bindClasses.contains(ci.className())) {
            return false;
        }
        for (Map.Entry<String, String> e : bindAttributes.entrySet()) {
            Object value = ci.attributes().get(e.getKey());
            if (value == null || !String.valueOf(value).equals(e.getValue())) {
                return false;
            }
        }
        return ci.tags() != null && ci.tags().containsAll(bindTags);
    }
}
