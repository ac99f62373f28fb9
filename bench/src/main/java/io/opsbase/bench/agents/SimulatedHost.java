package io.opsbase.bench.agents;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.opsbase.protocol.HostFingerprint;
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

/**
 * One simulated machine: a plausible, distinct inventory (vendor, serial, SMBIOS UUID, machine-id,
 * MACs, CPUs, DIMMs, disks, packages) derived from a seed, and the hardware and software changes
 * that happen to real hosts — a DIMM swapped, a disk replaced, an OS point release, a new address —
 * each of which the server must reconcile into the CMDB as a real difference.
 *
 * <p>About one host in eight is a virtual machine without DMI (no serial, no UUID), as on many
 * clouds; identity then rests on machine-id, MACs and hostname. Identities are unique per run:
 * every serial, UUID and MAC carries the run id and the host index. Not thread-safe: each
 * simulated agent owns its host.
 */
final class SimulatedHost {

    private static final long GIB = 1L << 30;
    private static final String[][] MODELS = {
        {"Dell Inc.", "PowerEdge R650"}, {"Dell Inc.", "PowerEdge R750"}, {"HPE", "ProLiant DL380 Gen10"},
        {"HPE", "ProLiant DL360 Gen11"}, {"Lenovo", "ThinkSystem SR650"}, {"Supermicro", "SYS-1029P-WTR"},
        {"Inspur", "NF5280M6"}, {"Huawei", "2288H V5"},
    };
    private static final Processor[] CPUS = {
        new Processor("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "GenuineIntel", 2, 64, 128, 3_200_000_000L),
        new Processor("Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "GenuineIntel", 2, 32, 64, 3_400_000_000L),
        new Processor("AMD EPYC 7543 32-Core Processor", "AuthenticAMD", 1, 32, 64, 3_700_000_000L),
        new Processor("AMD EPYC 9354 32-Core Processor", "AuthenticAMD", 2, 64, 128, 3_800_000_000L),
        new Processor("Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", "GenuineIntel", 2, 32, 64, 3_900_000_000L),
    };
    /** Name, version (with the point release appended), kernel pattern. */
    private static final String[][] SYSTEMS = {
        {"Debian GNU/Linux", "12.", "6.1.0-%d-amd64"}, {"Ubuntu", "22.04.", "5.15.0-%d-generic"},
        {"Ubuntu", "24.04.", "6.8.0-%d-generic"}, {"Rocky Linux", "9.", "5.14.0-%d.el9.x86_64"},
        {"Red Hat Enterprise Linux", "9.", "5.14.0-%d.el9.x86_64"},
    };
    private static final String[] ROLES = {"web", "app", "db", "cache", "mq", "batch", "k8s-node", "lb"};
    private static final String[] BASE_PACKAGES = {
        "bash", "coreutils", "curl", "openssl", "openssh-server", "systemd", "libc6", "python3", "perl", "tar",
        "gzip", "sudo", "rsyslog", "cron", "chrony", "iproute2", "iptables", "nftables", "procps", "util-linux",
        "ca-certificates", "libssl3", "zlib1g", "libzstd1", "liblz4-1", "e2fsprogs", "xfsprogs", "lvm2", "mdadm",
        "nginx", "postgresql-15", "redis-server", "openjdk-17-jre-headless", "docker-ce", "containerd.io",
        "node-exporter", "git", "vim", "less", "htop", "tcpdump", "strace", "lsof", "dmidecode", "smartmontools",
    };

    private final Random random;
    private final String hostname;
    private final String machineId;
    private final SystemInfo system;
    private final Processor processor;
    private final String[] osSystem;
    private final List<MemoryModule> dimms = new ArrayList<>();
    private final List<Disk> disks = new ArrayList<>();
    private final List<NetworkInterface> nics = new ArrayList<>();
    private final List<InstalledPackage> packages = new ArrayList<>();
    private final int index;
    private final String runId;
    private final long vmMemory;
    private final int macBase;
    private int kernelPatch;
    private int pointRelease;
    private int changes;

    SimulatedHost(String runId, int index, long seed) {
        this.runId = runId;
        this.index = index;
        this.random = new Random(seed ^ (index * 0x9E3779B97F4A7C15L));
        this.hostname = ROLES[index % ROLES.length] + "-" + runId + "-" + String.format("%05d", index);
        this.machineId = hex(16);
        this.macBase = (runId.hashCode() & 0x3f) << 18;
        boolean virtual = index % 8 == 7;
        String[] model = MODELS[random.nextInt(MODELS.length)];
        this.system = virtual ? null : new SystemInfo(model[0], model[1], serial("SRV"),
                new UUID(random.nextLong(), random.nextLong()).toString(),
                new Bios(model[0], (1 + random.nextInt(3)) + "." + random.nextInt(20) + "." + random.nextInt(10), "03/01/2024"),
                new Baseboard(model[0], model[1] + " MB", "A0" + random.nextInt(9), serial("MB")));
        this.processor = CPUS[random.nextInt(CPUS.length)];
        this.osSystem = SYSTEMS[random.nextInt(SYSTEMS.length)];
        this.kernelPatch = 10 + random.nextInt(20);
        this.pointRelease = 1 + random.nextInt(4);
        this.vmMemory = (4L + random.nextInt(28)) * GIB;
        int modules = virtual ? 0 : 2 * (1 + random.nextInt(8));
        long moduleSize = (8L << random.nextInt(4)) * GIB;
        for (int i = 0; i < modules; i++) {
            dimms.add(dimm("DIMM_" + (char) ('A' + i / 2) + (1 + i % 2), moduleSize));
        }
        int diskCount = virtual ? 1 : 1 + random.nextInt(6);
        for (int i = 0; i < diskCount; i++) {
            disks.add(virtual ? new Disk("vda", "QEMU HARDDISK", null, (20L + random.nextInt(200)) * GIB, "VIRTUAL")
                    : disk(i));
        }
        int nicCount = virtual ? 1 : 1 + random.nextInt(4);
        for (int i = 0; i < nicCount; i++) {
            String name = virtual ? "ens" + (3 + i) : "eno" + (1 + i);
            nics.add(new NetworkInterface(name, mac(i), List.of(ip(i)), List.of(), virtual ? null : 10_000_000_000L));
        }
        if (index % 3 == 0) {
            nics.add(new NetworkInterface("docker0", "02:42:ac:11:00:01", List.of("172.17.0.1"), List.of(), null));
        }
        int packageCount = 200 + random.nextInt(400);
        for (int i = 0; i < packageCount; i++) {
            String name = i < BASE_PACKAGES.length ? BASE_PACKAGES[i] : "lib" + hex(3) + "-" + (i % 7);
            packages.add(new InstalledPackage(name, (1 + random.nextInt(9)) + "." + random.nextInt(30) + "." + random.nextInt(100)
                    + "-" + (1 + random.nextInt(5))));
        }
    }

    /**
     * Keeps only the first {@code n} installed packages: a lighter first inventory for runs that
     * measure something other than inventory reconciliation (enrollment then goes faster).
     */
    SimulatedHost keepPackages(int n) {
        while (packages.size() > n) {
            packages.removeLast();
        }
        return this;
    }

    Inventory inventory() {
        long memory = dimms.isEmpty() ? vmMemory : dimms.stream().mapToLong(MemoryModule::sizeBytes).sum();
        String kernel = osSystem[2].formatted(kernelPatch);
        return new Inventory(hostname, hostname + ".dc1.example.net", machineId, system,
                List.of(processor), new Memory(memory, List.copyOf(dimms)), List.copyOf(disks),
                List.of(new Filesystem("/", "/dev/mapper/vg0-root", "ext4", 50L * GIB, 20L * GIB),
                        new Filesystem("/var", "/dev/mapper/vg0-var", "xfs", 200L * GIB, 120L * GIB)),
                List.copyOf(nics), new OperatingSystem(osSystem[0], osSystem[1] + pointRelease, kernel, "x86_64"),
                3600L + random.nextInt(10_000_000), osSystem[0].contains("Debian") || osSystem[0].contains("Ubuntu") ? "dpkg" : "rpm",
                List.copyOf(packages));
    }

    HostFingerprint fingerprint() {
        return new HostFingerprint(machineId, system == null ? null : system.manufacturer(),
                system == null ? null : system.serial(), system == null ? null : system.smbiosUuid(),
                nics.stream().map(NetworkInterface::mac).toList(), hostname);
    }

    /**
     * Applies the next real-world change and says what it was. Cycles through: a DIMM swapped for
     * one with another serial (a VM gets a new address instead), a disk replaced, an OS point
     * release upgrade (new kernel, a package upgraded), a new IPv4 address on the first NIC.
     */
    String change() {
        int kind = changes++ % 4;
        return switch (kind) {
            case 0 -> dimms.isEmpty() ? readdress() : swapDimm();
            case 1 -> disks.getFirst().serial() == null ? upgrade() : replaceDisk();
            case 2 -> upgrade();
            default -> readdress();
        };
    }

    private String swapDimm() {
        int slot = random.nextInt(dimms.size());
        MemoryModule old = dimms.get(slot);
        dimms.set(slot, dimm(old.slot(), old.sizeBytes()));
        return "memory-module-swapped";
    }

    private String replaceDisk() {
        int i = random.nextInt(disks.size());
        disks.set(i, disk(i));
        return "disk-replaced";
    }

    private String upgrade() {
        pointRelease++;
        kernelPatch++;
        int p = random.nextInt(packages.size());
        InstalledPackage old = packages.get(p);
        packages.set(p, new InstalledPackage(old.name(), old.version() + "+u" + changes));
        return "os-point-release-upgraded";
    }

    private String readdress() {
        NetworkInterface first = nics.getFirst();
        String address = ip(changes);
        while (first.ipv4().contains(address)) {
            address = ip(changes + random.nextInt(1000));
        }
        nics.set(0, new NetworkInterface(first.name(), first.mac(), List.of(address), first.ipv6(),
                first.speedBitsPerSecond()));
        return "ip-address-changed";
    }

    private MemoryModule dimm(String slot, long size) {
        String[] vendors = {"Samsung", "SK Hynix", "Micron"};
        return new MemoryModule(slot, size, "DDR4", random.nextBoolean() ? 3200L : 2933L,
                vendors[random.nextInt(vendors.length)], serial("M"));
    }

    private Disk disk(int i) {
        boolean nvme = random.nextInt(3) == 0;
        if (nvme) {
            return new Disk("nvme" + i + "n1", "SAMSUNG MZQL23T8HCLS", serial("S6"), 3_840_000_000_000L, "NVME");
        }
        boolean ssd = random.nextBoolean();
        return new Disk("sd" + (char) ('a' + i), ssd ? "Samsung PM883" : "Seagate Exos X18", serial(ssd ? "S4" : "ZR"),
                ssd ? 960_000_000_000L : 16_000_000_000_000L, ssd ? "SSD" : "HDD");
    }

    /** Vendor-style serials: a prefix, the run id, the host index and random characters; unique per run. */
    private String serial(String prefix) {
        return (prefix + runId + Integer.toString(index, 36) + hex(3)).toUpperCase();
    }

    /**
     * A globally administered MAC: a real vendor OUI, then the run's bits, the host index and NIC
     * number, so no two hosts of a run share one (up to 32,768 hosts).
     */
    private String mac(int nic) {
        int n = macBase + index * 8 + nic;
        String oui = system == null ? "52:54:00" : "3c:ec:ef";
        return "%s:%02x:%02x:%02x".formatted(oui, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    }

    private String ip(int salt) {
        return "10." + (index >> 8 & 0xff) + "." + (index & 0xff) + "." + (10 + Math.floorMod(salt * 7 + random.nextInt(5), 240));
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    String hostname() {
        return hostname;
    }
}
