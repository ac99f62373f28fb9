package io.opsbase.discovery.internal;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.NetworkInterface;
import io.opsbase.protocol.inventory.SmbiosUuid;

/**
 * The identity evidence of one inventory, cleaned: placeholder serials, all-zero UUIDs and
 * virtual or locally administered MACs removed, so that missing evidence is null (never a value
 * thousands of machines share).
 *
 * @param hostKey      lower-case short hostname
 * @param serial       system serial, trimmed and upper-cased for comparison
 * @param manufacturer lower-case, punctuation and company suffixes removed
 * @param smbiosUuid   normalised by {@link SmbiosUuid}
 * @param machineId    {@code /etc/machine-id} (or the OS's equivalent), lower-case
 * @param macs         physical NIC MACs, lower-case with colons
 */
public record HostEvidence(String hostname, String hostKey, String serial, String manufacturer, String smbiosUuid,
        String machineId, Set<String> macs) {

    /** Values firmware vendors leave in serial fields; compared after trimming, case-insensitively. */
    static final Set<String> JUNK_SERIALS = Set.of(
            "TO BE FILLED BY O.E.M.", "TO BE FILLED BY OEM", "DEFAULT STRING", "SYSTEM SERIAL NUMBER",
            "CHASSIS SERIAL NUMBER", "BASE BOARD SERIAL NUMBER", "SERIAL NUMBER", "SERIAL", "NONE", "NULL",
            "NOT SPECIFIED", "NOT APPLICABLE", "NOT AVAILABLE", "N/A", "NA", "UNKNOWN", "INVALID", "EMPTY",
            "O.E.M.", "OEM", "0123456789", "123456789", "1234567890", "SYSTEM SERIAL", "DEFAULT", "NO DIMM",
            "NODIMM", "NOT PROVIDED", "XXXXXXXXXXXX");

    /** Interfaces that are not the host's hardware: bridges, container veths, tunnels, loopback. */
    private static final Pattern VIRTUAL_NIC = Pattern.compile(
            "(lo|ifb\\d*|docker\\d*|veth.*|br-.*|virbr.*|vnet\\d*|cni.*|flannel.*|cali.*|weave.*|tun\\d*|tap.*|wg\\d*|"
                    + "kube-.*|lxc.*|lxdbr.*|podman.*|zt.*|tailscale.*|dummy.*|bond\\d*\\..*|vxlan.*|genev.*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-z-]{8,64}");

    /**
     * One key per piece of evidence identity resolution matches on (serial case-insensitively, the
     * SMBIOS UUID in both byte orders, machine-id, each MAC, the short hostname): two reports that
     * could match each other share at least one key.
     */
    public java.util.List<String> resolutionKeys() {
        var keys = new java.util.ArrayList<String>();
        if (serial != null) {
            keys.add("serial:" + serial.toUpperCase(java.util.Locale.ROOT));
        }
        if (smbiosUuid != null) {
            keys.add("uuid:" + smbiosUuid);
            keys.add("uuid:" + SmbiosUuid.byteSwapped(smbiosUuid));
        }
        if (machineId != null) {
            keys.add("machine-id:" + machineId);
        }
        macs.forEach(m -> keys.add("mac:" + m));
        if (hostKey != null) {
            keys.add("host:" + hostKey);
        }
        return keys;
    }

    public static HostEvidence of(Inventory inventory) {
        var system = inventory.system();
        Set<String> macs = new TreeSet<>();
        for (NetworkInterface nic : inventory.networkInterfaces()) {
            String mac = physicalMac(nic);
            if (mac != null) {
                macs.add(mac);
            }
        }
        String hostname = blankToNull(inventory.hostname());
        return new HostEvidence(hostname, hostKey(hostname),
                system == null ? null : serial(system.serial()),
                system == null ? null : manufacturer(system.manufacturer()),
                system == null ? null : SmbiosUuid.normalise(system.smbiosUuid()).orElse(null),
                machineId(inventory.machineId()),
                Set.copyOf(macs));
    }

    /** The serial upper-cased for comparison, or null when it is a placeholder. */
    public static String serial(String raw) {
        String s = blankToNull(raw);
        if (s == null) {
            return null;
        }
        String upper = s.toUpperCase(Locale.ROOT);
        if (JUNK_SERIALS.contains(upper) || upper.length() < 3 || upper.chars().distinct().count() == 1
                || upper.startsWith("TO BE FILLED") || upper.length() > 200) {
            return null;
        }
        return upper;
    }

    static String manufacturer(String raw) {
        String s = blankToNull(raw);
        if (s == null || JUNK_SERIALS.contains(s.toUpperCase(Locale.ROOT))) {
            return null;
        }
        String m = s.toLowerCase(Locale.ROOT).replaceAll("[.,]", " ")
                .replaceAll("\\b(inc|corp|corporation|co|ltd|limited|gmbh|llc|technologies|computer)\\b", " ")
                .replaceAll("\\s+", " ").strip();
        return m.isEmpty() ? null : m.length() > 200 ? m.substring(0, 200) : m;
    }

    static String machineId(String raw) {
        String s = blankToNull(raw);
        if (s == null) {
            return null;
        }
        String id = s.toLowerCase(Locale.ROOT);
        if (!MACHINE_ID.matcher(id).matches() || id.replace("-", "").chars().distinct().count() == 1) {
            return null;
        }
        return id;
    }

    /**
     * The NIC's MAC when it identifies hardware: not a virtual interface, not all zeros, not
     * multicast, not locally administered — except QEMU/KVM's {@code 52:54:00} prefix, which is
     * locally administered by definition yet is the only MAC a KVM guest has.
     */
    public static String physicalMac(NetworkInterface nic) {
        if (nic.mac() == null || (nic.name() != null && VIRTUAL_NIC.matcher(nic.name()).matches())) {
            return null;
        }
        String mac = nic.mac().trim().toLowerCase(Locale.ROOT).replace('-', ':');
        if (!MAC.matcher(mac).matches() || mac.equals("00:00:00:00:00:00")) {
            return null;
        }
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        boolean multicast = (first & 0x01) != 0;
        boolean local = (first & 0x02) != 0;
        if (multicast || (local && !mac.startsWith("52:54:00"))) {
            return null;
        }
        return mac;
    }

    static String hostKey(String hostname) {
        if (hostname == null) {
            return null;
        }
        String h = hostname.toLowerCase(Locale.ROOT);
        int dot = h.indexOf('.');
        h = dot > 0 ? h.substring(0, dot) : h;
        return h.equals("localhost") || h.isEmpty() ? null : h.length() > 255 ? h.substring(0, 255) : h;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
