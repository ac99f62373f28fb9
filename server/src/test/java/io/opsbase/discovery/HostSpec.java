package io.opsbase.discovery;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.inventory.Bios;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.Memory;
import io.opsbase.protocol.inventory.MemoryModule;
import io.opsbase.protocol.inventory.NetworkInterface;
import io.opsbase.protocol.inventory.OperatingSystem;
import io.opsbase.protocol.inventory.Processor;
import io.opsbase.protocol.inventory.SystemInfo;

/** A simulated host: what its agent would report. Every factory call makes a unique machine. */
record HostSpec(String hostname, String manufacturer, String serial, String uuid, String machineId, List<Disk> disks,
        List<MemoryModule> dimms, List<NetworkInterface> nics, String osVersion) {

    static final long GIB = 1L << 30;

    /** A physical server with DMI: serial, UUID, two DIMMs, two disks, one NIC plus a docker bridge. */
    static HostSpec physical() {
        String id = hex(4);
        return new HostSpec("srv-" + id, "Dell Inc.", "SN" + hex(5).toUpperCase(), UUID.randomUUID().toString(), hex(16),
                List.of(new Disk("sda", "Samsung PM883", "DSK" + hex(4).toUpperCase(), 480_000_000_000L, "SSD"),
                        new Disk("sdb", "Seagate Exos", "DSK" + hex(4).toUpperCase(), 4_000_000_000_000L, "HDD")),
                List.of(new MemoryModule("DIMM_A1", 16 * GIB, "DDR4", 3200L, "Samsung", "M" + hex(4).toUpperCase()),
                        new MemoryModule("DIMM_B1", 16 * GIB, "DDR4", 3200L, "Samsung", "M" + hex(4).toUpperCase())),
                List.of(new NetworkInterface("eno1", globalMac(), List.of("10.0.0." + (2 + ThreadLocalRandom.current().nextInt(250))),
                                List.of(), 10_000_000_000L),
                        new NetworkInterface("docker0", "02:42:ac:11:00:01", List.of("172.17.0.1"), List.of(), null)),
                "12");
    }

    /** A VM without DMI: no serial, no UUID; only machine-id, a MAC and the hostname. */
    static HostSpec vmWithoutDmi(String hostname) {
        return new HostSpec(hostname, null, null, null, hex(16), List.of(new Disk("vda", "QEMU HARDDISK", null, 20L * GIB, "VIRTUAL")),
                List.of(), List.of(new NetworkInterface("ens3", "00:16:3e:" + hex(1) + ":" + hex(1) + ":" + hex(1),
                        List.of("192.168.1.5"), List.of(), null)), "12");
    }

    HostSpec withHostname(String h) {
        return new HostSpec(h, manufacturer, serial, uuid, machineId, disks, dimms, nics, osVersion);
    }

    HostSpec withSerial(String s) {
        return new HostSpec(hostname, manufacturer, s, uuid, machineId, disks, dimms, nics, osVersion);
    }

    HostSpec withUuid(String u) {
        return new HostSpec(hostname, manufacturer, serial, u, machineId, disks, dimms, nics, osVersion);
    }

    HostSpec withMachineId(String m) {
        return new HostSpec(hostname, manufacturer, serial, uuid, m, disks, dimms, nics, osVersion);
    }

    HostSpec withNewMachineId() {
        return withMachineId(hex(16));
    }

    HostSpec withNics(List<NetworkInterface> n) {
        return new HostSpec(hostname, manufacturer, serial, uuid, machineId, disks, dimms, n, osVersion);
    }

    HostSpec withNewMac() {
        return withNics(List.of(new NetworkInterface("eno1", globalMac(), List.of("10.0.1.9"), List.of(), null)));
    }

    HostSpec withOsVersion(String v) {
        return new HostSpec(hostname, manufacturer, serial, uuid, machineId, disks, dimms, nics, v);
    }

    HostSpec withDisk(int index, Disk disk) {
        List<Disk> d = new ArrayList<>(disks);
        d.set(index, disk);
        return new HostSpec(hostname, manufacturer, serial, uuid, machineId, List.copyOf(d), dimms, nics, osVersion);
    }

    HostSpec withDimms(List<MemoryModule> m) {
        return new HostSpec(hostname, manufacturer, serial, uuid, machineId, disks, m, nics, osVersion);
    }

    Inventory inventory() {
        long memory = dimms.isEmpty() ? 4 * GIB : dimms.stream().mapToLong(MemoryModule::sizeBytes).sum();
        SystemInfo system = serial == null && uuid == null && manufacturer == null ? null
                : new SystemInfo(manufacturer, "PowerEdge R650", serial, uuid, new Bios("Dell Inc.", "1.8.2", "03/01/2024"), null);
        return new Inventory(hostname, hostname + ".example.net", machineId, system,
                List.of(new Processor("Intel(R) Xeon(R) Gold 6338", "GenuineIntel", 2, 64, 128, 2_000_000_000L)),
                new Memory(memory, dimms), disks, List.of(), nics,
                new OperatingSystem("Debian GNU/Linux", osVersion, "6.12.0-amd64", "x86_64"), 1000L, "dpkg", List.of());
    }

    HostFingerprint fingerprint() {
        return new HostFingerprint(machineId, manufacturer, serial, uuid,
                nics.stream().map(NetworkInterface::mac).toList(), hostname);
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A globally administered unicast MAC (what real NICs have). */
    static String globalMac() {
        return "3c:ec:ef:" + hex(1) + ":" + hex(1) + ":" + hex(1);
    }
}
