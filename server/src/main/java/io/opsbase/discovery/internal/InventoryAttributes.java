package io.opsbase.discovery.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.opsbase.cmdb.AttributeDefinition;
import io.opsbase.cmdb.AttributeType;
import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.CiQuery;
import io.opsbase.cmdb.CiSearch;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.NetworkInterface;
import io.opsbase.protocol.inventory.Processor;
import io.opsbase.protocol.inventory.SmbiosUuid;

/**
 * Turns an inventory into CI attribute values. {@link #reported} names every attribute discovery
 * knows how to fill; {@link #forClass} keeps those the class has and whose value the class accepts
 * (type, pattern, enum, and a unique value no other CI holds), so that reconciliation never fails
 * on a value the CMDB would refuse: a refused value is left out, never forced.
 */
@Component
public class InventoryAttributes {

    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    private final CiSearch search;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    InventoryAttributes(CiSearch search) {
        this.search = search;
    }

    /** Every attribute the inventory has a value for, by CMDB attribute name; nulls left out. */
    public static Map<String, Object> reported(Inventory inv) {
        Map<String, Object> a = new LinkedHashMap<>();
        put(a, "hostname", inv.hostname());
        put(a, "fqdn", inv.fqdn());
        var system = inv.system();
        if (system != null) {
            put(a, "serial_number", HostEvidence.serial(system.serial()) == null ? null : system.serial().strip());
            put(a, "manufacturer", system.manufacturer());
            put(a, "model", system.model());
            put(a, "smbios_uuid", SmbiosUuid.normalise(system.smbiosUuid()).orElse(null));
            if (system.bios() != null) {
                put(a, "bios_version", system.bios().version());
            }
        }
        if (!inv.processors().isEmpty()) {
            int cores = inv.processors().stream().mapToInt(Processor::cores).sum();
            int threads = inv.processors().stream().mapToInt(Processor::threads).sum();
            put(a, "cpu_count", cores > 0 ? (long) cores : null);
            put(a, "vcpu_count", threads > 0 ? (long) threads : cores > 0 ? (long) cores : null);
            put(a, "cpu_model", inv.processors().getFirst().model());
        }
        if (inv.memory() != null && inv.memory().totalBytes() > 0) {
            a.put("memory_gb", BigDecimal.valueOf(inv.memory().totalBytes()).divide(GIB, 1, RoundingMode.HALF_UP)
                    .stripTrailingZeros());
        }
        var os = inv.os();
        if (os != null) {
            put(a, "os", os.name());
            put(a, "os_version", os.version());
            put(a, "kernel", os.kernel());
            put(a, "architecture", os.architecture());
        }
        inv.networkInterfaces().stream()
                .filter(n -> HostEvidence.physicalMac(n) != null)
                .sorted(Comparator.comparing(n -> n.name() == null ? "" : n.name()))
                .forEach(n -> {
                    a.putIfAbsent("mac_address", HostEvidence.physicalMac(n));
                    if (!n.ipv4().isEmpty() && !a.containsKey("ip_address")) {
                        put(a, "ip_address", firstRoutable(n));
                    }
                });
        return a;
    }

    /**
     * The reported values {@code ciClass} accepts for CI {@code ciId} (0 for a CI not created yet),
     * normalised the way the CMDB stores them.
     */
    public Map<String, Object> forClass(Map<String, Object> reported, CiClass ciClass, long ciId) {
        return forClass(reported, ciClass, ciId, Map.of());
    }

    /**
     * Like {@link #forClass(Map, CiClass, long)} for an existing CI whose attributes are
     * {@code current}: a unique value the CI already holds needs no search (the CMDB let no other CI
     * take it). A changed report of a known host — the common case — so costs no CMDB search at
     * all, where the search would otherwise grow with the number of CIs.
     */
    public Map<String, Object> forClass(Map<String, Object> reported, CiClass ciClass, long ciId, Map<String, Object> current) {
        return accepted(reported, ciClass, ciId, current, true);
    }

    /**
     * The reported values {@code ciClass} accepts by type, pattern and enum, without the uniqueness
     * searches: for a CI about to be created, whose unique values the CMDB's own indexed check
     * ({@code CiService.validate}) judges more cheaply (see {@link HostAdoption#createCi}).
     */
    public Map<String, Object> forNewCi(Map<String, Object> reported, CiClass ciClass) {
        return accepted(reported, ciClass, 0, Map.of(), false);
    }

    private Map<String, Object> accepted(Map<String, Object> reported, CiClass ciClass, long ciId, Map<String, Object> current,
            boolean checkUnique) {
        Map<String, Object> accepted = new LinkedHashMap<>();
        reported.forEach((name, raw) -> {
            AttributeDefinition def = ciClass.attribute(name).orElse(null);
            if (def == null || def.type() == AttributeType.REFERENCE) {
                return;
            }
            Object value;
            try {
                value = def.type().normalize(raw instanceof BigDecimal || raw instanceof Long || !def.type().numeric()
                        ? raw : raw.toString());
            } catch (IllegalArgumentException e) {
                return;
            }
            if (def.pattern() != null && value instanceof String s
                    && !patterns.computeIfAbsent(def.pattern(), Pattern::compile).matcher(s).matches()) {
                return;
            }
            if (def.type() == AttributeType.ENUM && !def.enumValues().contains(value.toString())) {
                return;
            }
            if (checkUnique && def.unique() && !same(current.get(name), value) && heldByAnother(ciClass.name(), name, value.toString(), ciId)) {
                return;
            }
            accepted.put(name, value);
        });
        return accepted;
    }

    /** Equal as the CMDB compares stored values (decimals by value, not scale). */
    public static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof BigDecimal) && !(b instanceof BigDecimal)) {
            return x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }

    private boolean heldByAnother(String className, String attribute, String value, long ciId) {
        return search.search(CiQuery.attributeEquals(className, attribute, value, 2)).items().stream()
                .anyMatch(ci -> ci.id() != ciId);
    }

    private static String firstRoutable(NetworkInterface n) {
        return n.ipv4().stream().filter(ip -> !ip.startsWith("127.") && !ip.startsWith("169.254.")).findFirst().orElse(null);
    }

    private static void put(Map<String, Object> a, String name, Object value) {
        if (value instanceof String s) {
            value = s.isBlank() ? null : s.strip();
        }
        if (value != null) {
            a.put(name, value);
        }
    }
}
