package io.opsbase.browser;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.opsbase.protocol.inventory.Baseboard;
import io.opsbase.protocol.inventory.Bios;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.protocol.inventory.Filesystem;
import io.opsbase.protocol.inventory.InstalledPackage;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.Memory;
import io.opsbase.protocol.inventory.MemoryModule;
import io.opsbase.protocol.inventory.NetworkInterface;
import io.opsbase.protocol.inventory.OperatingSystem;
import io.opsbase.protocol.inventory.Processor;
import io.opsbase.protocol.inventory.SystemInfo;

/** Believable inventories for the browser tests and their screenshots; every call makes a distinct machine. */
final class InventoryFixtures {

    static final long GIB = 1L << 30;

    private static final List<String> PACKAGES = List.of("adduser", "apt", "base-files", "bash", "ca-certificates",
            "coreutils", "curl", "dbus", "dmidecode", "e2fsprogs", "gnupg", "iproute2", "less", "libc6", "libssl3",
            "lsof", "nginx", "openssh-server", "openssl", "procps", "python3", "rsyslog", "sudo", "systemd",
            "tzdata", "util-linux", "vim-tiny", "zstd");

    private InventoryFixtures() {
    }

    /** A rack server: DMI, two CPUs, {@code dimms} × 32 GiB, two SSDs, one NIC plus a docker bridge. */
    static Inventory server(String hostname, String manufacturer, String model, String os, String osVersion, int dimms) {
        String serial = manufacturer.substring(0, 2).toUpperCase() + hex(4).toUpperCase();
        List<MemoryModule> modules = new ArrayList<>();
        for (int i = 0; i < dimms; i++) {
            modules.add(new MemoryModule("DIMM_" + (char) ('A' + i / 2) + (i % 2 + 1), 32 * GIB, "DDR4", 3200L,
                    "Samsung", "M" + hex(4).toUpperCase()));
        }
        return new Inventory(hostname, hostname + ".fra1.example.net", hex(16),
                new SystemInfo(manufacturer, model, serial, UUID.randomUUID().toString(),
                        new Bios(manufacturer, "2.19.1", "04/11/2025"), new Baseboard(manufacturer, "0X9VFT", "A05", "BB" + hex(4).toUpperCase())),
                List.of(new Processor("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "GenuineIntel", 2, 64, 128, 3_200_000_000L)),
                new Memory(dimms * 32 * GIB, modules),
                List.of(new Disk("sda", "SAMSUNG MZ7L3480HCHQ", "S6KM" + hex(4).toUpperCase(), 480_103_981_056L, "SSD"),
                        new Disk("nvme0n1", "Dell Ent NVMe P5600 1.6TB", "PHAB" + hex(4).toUpperCase(), 1_600_321_314_816L, "NVME")),
                List.of(new Filesystem("/", "/dev/sda2", "ext4", 470L * GIB, 380L * GIB),
                        new Filesystem("/boot/efi", "/dev/sda1", "vfat", GIB / 2, GIB / 2 - 6_000_000),
                        new Filesystem("/var/lib/postgresql", "/dev/nvme0n1p1", "xfs", 1490L * GIB, 910L * GIB)),
                List.of(new NetworkInterface("eno1", "3c:ec:ef:" + hex(1) + ":" + hex(1) + ":" + hex(1),
                                List.of("10.0.1." + (10 + ThreadLocalRandom.current().nextInt(200))), List.of("fe80::3eec:efff:fe12:3456"),
                                25_000_000_000L),
                        new NetworkInterface("docker0", "02:42:ac:11:00:01", List.of("172.17.0.1"), List.of(), null)),
                new OperatingSystem(os, osVersion, os.startsWith("Debian") ? "6.1.0-28-amd64" : "6.8.0-51-generic", "x86_64"),
                1_728_000L + ThreadLocalRandom.current().nextInt(100_000), "dpkg",
                PACKAGES.stream().map(p -> new InstalledPackage(p, "1." + ThreadLocalRandom.current().nextInt(30) + "-1")).toList());
    }

    /** The same machine reinstalled or cloned: new machine-id and hostname, same firmware. */
    static Inventory clone(Inventory of, String hostname) {
        return new Inventory(hostname, hostname + ".fra1.example.net", hex(16),
                new SystemInfo(of.system().manufacturer(), of.system().model(), of.system().serial(), UUID.randomUUID().toString(),
                        of.system().bios(), of.system().baseboard()),
                of.processors(), of.memory(), of.disks(), of.filesystems(),
                List.of(new NetworkInterface("eno1", "3c:ec:ef:" + hex(1) + ":" + hex(1) + ":" + hex(1),
                        List.of("10.0.9.41"), List.of(), 25_000_000_000L)),
                new OperatingSystem("Ubuntu", "24.04", "6.8.0-51-generic", "x86_64"), 3600L, "dpkg", of.packages());
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
