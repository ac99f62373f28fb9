package io.opsbase.protocol.inventory;

import java.util.List;

/** A small but complete inventory, as a real two-socket server would report it. */
public final class InventoryFixtures {

    private InventoryFixtures() {
    }

    public static Inventory server(long uptimeSeconds, long rootFreeBytes) {
        return new Inventory("db-7", "db-7.example.net", "4c4c4544004e3510804cb7c04f563232",
                new SystemInfo("Dell Inc.", "PowerEdge R640", "7N5G2S2", "4c4c4544-004e-3510-804c-b7c04f563232",
                        new Bios("Dell Inc.", "2.19.1", "06/20/2023"), new Baseboard("Dell Inc.", "0H28RR", "A07", ".7N5G2S2.CNFCP0019B01RZ.")),
                List.of(new Processor("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", "GenuineIntel", 2, 40, 80, 2_100_000_000L)),
                new Memory(68_719_476_736L, List.of(
                        new MemoryModule("A1", 34_359_738_368L, "DDR4", 2933L, "Hynix", "33A1B2C3"),
                        new MemoryModule("B1", 34_359_738_368L, "DDR4", 2933L, "Hynix", "33A1B2C4"))),
                List.of(new Disk("sda", "PERC H730P Mini", "0061a4b", 960_197_124_096L, "SSD")),
                List.of(new Filesystem("/", "/dev/sda2", "ext4", 900_000_000_000L, rootFreeBytes)),
                List.of(new NetworkInterface("eno1", "b0:26:28:aa:bb:01", List.of("10.1.2.7"), List.of("fe80::b226:28ff:feaa:bb01"), 10_000_000_000L),
                        new NetworkInterface("eno2", "b0:26:28:aa:bb:02", List.of(), List.of(), null)),
                new OperatingSystem("Debian GNU/Linux", "13", "6.12.48+deb13-amd64", "amd64"),
                uptimeSeconds, "dpkg",
                List.of(new InstalledPackage("openssh-server", "1:10.0p1-7"), new InstalledPackage("bash", "5.2.37-2")));
    }
}
