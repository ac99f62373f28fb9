package io.opsbase.discovery.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsbase.cmdb.ComponentSpec;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.MemoryModule;
import io.opsbase.protocol.inventory.NetworkInterface;
import io.opsbase.protocol.inventory.Processor;

/**
 * The hardware components of an inventory, by kind, each with the identity that makes it the same
 * part over time: a disk or DIMM by its serial (else its name or slot), a NIC by its MAC (else its
 * name), a processor group by its model. Placeholder serials do not count as identities, and an
 * identity that repeats within a kind is suffixed ({@code #2}) so the list stays one-per-part.
 */
public final class InventoryComponents {

    public static final List<String> KINDS = List.of("cpu", "memory", "disk", "nic");

    private InventoryComponents() {
    }

    /** Kind → components; a kind the inventory reported none of is absent (unreadable, not removed). */
    public static Map<String, List<ComponentSpec>> of(Inventory inv) {
        Map<String, List<ComponentSpec>> byKind = new LinkedHashMap<>();
        List<ComponentSpec> cpus = new ArrayList<>();
        for (int i = 0; i < inv.processors().size(); i++) {
            Processor p = inv.processors().get(i);
            cpus.add(spec("cpu", p.model() == null ? "cpu" + i : p.model(), attributes(
                    "model", p.model(), "vendor", p.vendor(), "sockets", p.sockets(), "cores", p.cores(),
                    "threads", p.threads(), "max_frequency_hz", p.maxFrequencyHz())));
        }
        List<ComponentSpec> dimms = new ArrayList<>();
        if (inv.memory() != null) {
            for (int i = 0; i < inv.memory().modules().size(); i++) {
                MemoryModule m = inv.memory().modules().get(i);
                String serial = HostEvidence.serial(m.serial());
                dimms.add(spec("memory", serial != null ? serial : m.slot() != null ? m.slot() : "dimm" + i, attributes(
                        "slot", m.slot(), "size_bytes", m.sizeBytes(), "type", m.type(), "speed_mts", m.speedMts(),
                        "manufacturer", m.manufacturer(), "serial", serial == null ? null : m.serial().strip())));
            }
        }
        List<ComponentSpec> disks = new ArrayList<>();
        for (int i = 0; i < inv.disks().size(); i++) {
            Disk d = inv.disks().get(i);
            String serial = HostEvidence.serial(d.serial());
            disks.add(spec("disk", serial != null ? serial : d.name() != null ? d.name() : "disk" + i, attributes(
                    "name", d.name(), "model", d.model(), "serial", serial == null ? null : d.serial().strip(),
                    "size_bytes", d.sizeBytes(), "type", d.type())));
        }
        List<ComponentSpec> nics = new ArrayList<>();
        for (NetworkInterface n : inv.networkInterfaces()) {
            String mac = HostEvidence.physicalMac(n);
            if (mac == null) {
                continue; // bridges, veths and loopback are not hardware
            }
            nics.add(spec("nic", mac, attributes("name", n.name(), "mac", mac,
                    "ipv4", n.ipv4().isEmpty() ? null : String.join(",", n.ipv4()),
                    "ipv6", n.ipv6().isEmpty() ? null : String.join(",", n.ipv6()),
                    "speed_bps", n.speedBitsPerSecond())));
        }
        putIfAny(byKind, "cpu", cpus);
        putIfAny(byKind, "memory", dimms);
        putIfAny(byKind, "disk", disks);
        putIfAny(byKind, "nic", nics);
        return byKind;
    }

    private static void putIfAny(Map<String, List<ComponentSpec>> byKind, String kind, List<ComponentSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        List<ComponentSpec> unique = new ArrayList<>();
        for (ComponentSpec s : specs) {
            int n = seen.merge(s.identity(), 1, Integer::sum);
            unique.add(n == 1 ? s : new ComponentSpec(kind, s.identity() + "#" + n, s.attributes()));
        }
        byKind.put(kind, List.copyOf(unique));
    }

    private static ComponentSpec spec(String kind, String identity, Map<String, Object> attributes) {
        String id = identity.strip();
        return new ComponentSpec(kind, id.length() > 190 ? id.substring(0, 190) : id, attributes);
    }

    /** Alternating names and values; null values are left out, long strings cut to the CMDB's 1,000 characters. */
    private static Map<String, Object> attributes(Object... pairs) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            if (v instanceof String s) {
                v = s.isBlank() ? null : s.length() > 1000 ? s.substring(0, 1000) : s.strip();
            }
            if (v instanceof Integer n) {
                v = n.longValue();
            }
            if (v != null) {
                a.put((String) pairs[i], v);
            }
        }
        return a;
    }
}
