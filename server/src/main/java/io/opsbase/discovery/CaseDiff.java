package io.opsbase.discovery;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.CiComponent;
import io.opsbase.cmdb.ComponentSpec;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.discovery.internal.InventoryAttributes;

/**
 * The side-by-side diff of a queued host: what its latest inventory would write beside what the
 * candidate CI holds, attribute by attribute and component by component. Values are compared the
 * way the CMDB compares them (decimals by value, MACs and names case-insensitively), so a row is
 * marked {@code differs} only where approving or merging would really change the CI. {@code differing}
 * counts the rows that are not the same; {@code notStored} names reported values the class has no
 * attribute for (a decision would not write them, so they are not diffed).
 */
record CaseDiff(List<Row> attributes, List<ComponentRow> components, long differing, List<String> notStored) {

    /** The attributes discovery fills, in the order the diff lists them. */
    static final List<String> FIELDS = List.of("hostname", "fqdn", "manufacturer", "model", "serial_number",
            "smbios_uuid", "bios_version", "cpu_model", "cpu_count", "vcpu_count", "memory_gb", "os", "os_version",
            "kernel", "architecture", "mac_address", "ip_address");

    /** {@code state}: {@code same}, {@code differs}, {@code incoming} (the CI has none) or {@code current} (not reported). */
    record Row(String field, String label, String incoming, String current, String state) {

        boolean differs() {
            return !state.equals("same");
        }
    }

    /** A component by kind and identity; {@code state} as for {@link Row}. */
    record ComponentRow(String kind, String identity, String state) {
    }

    /**
     * @param ci         the candidate CI, null when there is none (every reported value is then incoming)
     * @param ciClass    the class the CI is (or would be created) in: its attributes are diffed, with their
     *                   labels; null to diff every reported value under its raw name
     * @param incoming   the components the latest inventory holds, by kind
     * @param current    the candidate CI's live components
     */
    static CaseDiff of(Map<String, Object> reported, ConfigurationItem ci, CiClass ciClass,
            Map<String, List<ComponentSpec>> incoming, List<CiComponent> current) {
        Set<String> names = new LinkedHashSet<>();
        FIELDS.stream().filter(f -> reported.containsKey(f) || ci != null && ci.attributes().containsKey(f)).forEach(names::add);
        names.addAll(reported.keySet());
        List<Row> rows = new ArrayList<>();
        List<String> notStored = new ArrayList<>();
        for (String name : names) {
            if (ciClass != null && ciClass.attribute(name).isEmpty()) {
                notStored.add(name);
                continue;
            }
            Object in = reported.get(name);
            Object now = ci == null ? null : ci.attributes().get(name);
            String label = ciClass == null ? name : ciClass.attribute(name).map(a -> a.label()).orElse(name);
            rows.add(new Row(name, label, display(in), display(now), state(in, now)));
        }
        Map<String, String> components = new LinkedHashMap<>();
        incoming.forEach((kind, specs) -> specs.forEach(s -> components.put(kind + "\u0000" + s.identity(), "incoming")));
        for (CiComponent c : current) {
            components.merge(c.kind() + "\u0000" + c.identity(), "current", (a, b) -> "same");
        }
        List<ComponentRow> componentRows = new ArrayList<>();
        components.forEach((key, state) -> {
            String[] parts = key.split("\u0000", 2);
            componentRows.add(new ComponentRow(parts[0], parts[1], state));
        });
        componentRows.sort(Comparator.comparing(ComponentRow::kind).thenComparing(ComponentRow::identity));
        long differing = rows.stream().filter(Row::differs).count()
                + componentRows.stream().filter(c -> !c.state().equals("same")).count();
        return new CaseDiff(List.copyOf(rows), List.copyOf(componentRows), differing, List.copyOf(notStored));
    }

    private static String state(Object incoming, Object current) {
        if (incoming == null) {
            return current == null ? "same" : "current";
        }
        if (current == null) {
            return "incoming";
        }
        return InventoryAttributes.same(incoming, current) || display(incoming).equalsIgnoreCase(display(current))
                ? "same" : "differs";
    }

    static String display(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }
}
