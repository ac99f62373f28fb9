package io.opsbase.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opsbase.protocol.MonitoringItem;

/**
 * The template editor's form as the page shows it and posts it: plain strings, item and macro rows
 * named {@code items[N].key}, {@code macros[N].name}. Row numbers from the page may have gaps (rows
 * are added and removed with htmx); {@link #of(Map)} keeps the rows in number order and renumbers
 * them, so the validation's {@code items[0].key} names the first row shown again.
 */
record TemplateForm(String name, String description, String parentId, List<String> bindClasses, String bindAttributes,
        String bindTags, String hosts, List<ItemRow> items, List<MacroRow> macros) {

    private static final Pattern ROW = Pattern.compile("(items|macros)\\[(\\d{1,18})]\\.(\\w+)");
    private static final Pattern ARGUMENT = Pattern.compile("\"([^\"]*)\"|(\\S+)");

    record ItemRow(String key, String type, String target, String arguments, String interval, String timeout) {
    }

    record MacroRow(String name, String value) {
    }

    static TemplateForm empty() {
        return new TemplateForm("", "", "", List.of(), "", "", "", List.of(new ItemRow("", MonitoringItem.COLLECTOR, "", "", "1m", "10s")),
                List.of());
    }

    static TemplateForm of(MonitoringTemplate t, List<Long> hosts) {
        List<ItemRow> items = t.items().stream().map(i -> new ItemRow(i.key(), i.type(), i.target(), joinArguments(i.arguments()),
                Durations.text(i.interval()), Durations.text(i.timeout()))).toList();
        List<MacroRow> macros = new TreeMap<>(t.macros()).entrySet().stream().map(e -> new MacroRow(e.getKey(), e.getValue())).toList();
        return new TemplateForm(t.name(), t.description() == null ? "" : t.description(), t.parentId() == null ? "" : t.parentId().toString(),
                t.bindClasses(), pairs(t.bindAttributes()), String.join(", ", t.bindTags()),
                String.join(", ", hosts.stream().map(String::valueOf).toList()), items, macros);
    }

    /** The posted form; {@code bindClasses} comes as repeated checkbox values. */
    static TemplateForm of(Map<String, String> form, List<String> bindClasses) {
        Map<Long, Map<String, String>> items = new TreeMap<>();
        Map<Long, Map<String, String>> macros = new TreeMap<>();
        form.forEach((field, value) -> {
            Matcher m = ROW.matcher(field);
            if (m.matches()) {
                (m.group(1).equals("items") ? items : macros).computeIfAbsent(Long.parseLong(m.group(2)), n -> new LinkedHashMap<>())
                        .put(m.group(3), value);
            }
        });
        List<ItemRow> itemRows = items.values().stream().map(r -> new ItemRow(text(r.get("key")), text(r.get("type")), text(r.get("target")),
                text(r.get("arguments")), text(r.get("interval")), text(r.get("timeout")))).toList();
        List<MacroRow> macroRows = macros.values().stream().map(r -> new MacroRow(text(r.get("name")), r.getOrDefault("value", "")))
                .filter(r -> !r.name().isEmpty() || !r.value().isEmpty()).toList();
        return new TemplateForm(text(form.get("name")), text(form.get("description")), text(form.get("parentId")),
                bindClasses == null ? List.of() : bindClasses, text(form.get("bindAttributes")), text(form.get("bindTags")),
                text(form.get("hosts")), itemRows, macroRows);
    }

    /**
     * The service's input. Throws IllegalArgumentException naming the field whose text does not
     * parse (attributes not written as name=value, a host that is not a CI number).
     */
    TemplateInput input() {
        List<TemplateInput.Item> rows = items.stream().filter(i -> !(i.key().isEmpty() && i.target().isEmpty()))
                .map(i -> new TemplateInput.Item(i.key(), i.type(), i.target(), splitArguments(i.arguments()), blank(i.interval()),
                        blank(i.timeout()), null, null)).toList();
        Map<String, String> macroMap = new LinkedHashMap<>();
        macros.forEach(m -> macroMap.put(m.name(), m.value()));
        Long parent;
        try {
            parent = parentId.isEmpty() ? null : Long.valueOf(parentId);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parentId");
        }
        Map<String, String> attributes;
        try {
            attributes = MonitoringSettingsPageController.labels(bindAttributes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bindAttributes");
        }
        return new TemplateInput(name, blank(description), parent, bindClasses, attributes, list(bindTags), rows, macroMap);
    }

    /** The explicitly chosen hosts (CI numbers, comma-separated). */
    List<Long> hostIds() {
        try {
            return list(hosts).stream().map(h -> Long.valueOf(h.replaceFirst("^#", ""))).distinct().toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hosts");
        }
    }

    /** The form with its item rows as the service saw them (blank rows dropped), so row errors line up. */
    TemplateForm compacted() {
        return new TemplateForm(name, description, parentId, bindClasses, bindAttributes, bindTags, hosts,
                items.stream().filter(i -> !(i.key().isEmpty() && i.target().isEmpty())).toList(), macros);
    }

    /** Arguments as one line: split on spaces, "double quotes" keep spaces inside one argument. */
    static List<String> splitArguments(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = ARGUMENT.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    static String joinArguments(List<String> arguments) {
        return String.join(" ", arguments.stream().map(a -> a.isEmpty() || a.chars().anyMatch(Character::isWhitespace) ? '"' + a + '"' : a)
                .toList());
    }

    private static String pairs(Map<String, String> map) {
        return String.join(", ", new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static List<String> list(String text) {
        return text == null || text.isBlank() ? List.of()
                : java.util.Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
