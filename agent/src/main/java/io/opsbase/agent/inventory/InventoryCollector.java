package io.opsbase.agent.inventory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.protocol.inventory.Baseboard;
import io.opsbase.protocol.inventory.Bios;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.protocol.inventory.Filesystem;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.Memory;
import io.opsbase.protocol.inventory.MemoryModule;
import io.opsbase.protocol.inventory.NetworkInterface;
import io.opsbase.protocol.inventory.OperatingSystem;
import io.opsbase.protocol.inventory.Processor;
import io.opsbase.protocol.inventory.SmbiosUuid;
import io.opsbase.protocol.inventory.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * Reads this host's inventory through OSHI, {@code /etc/machine-id} and the package manager. Every
 * part degrades on its own: a machine without readable DMI/SMBIOS (most containers and many VMs)
 * reports null serials and UUIDs and no memory modules, never placeholders and never an error.
 * Lists come sorted, so two collections of an unchanged host are equal. Not thread-safe (OSHI caches).
 */
public final class InventoryCollector implements Supplier<Inventory> {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryCollector.class);
    private static final Path SYS_BLOCK = Path.of("/sys/block");

    private final oshi.SystemInfo oshi = new oshi.SystemInfo();

    @Override
    public Inventory get() {
        var hal = oshi.getHardware();
        var os = oshi.getOperatingSystem();
        var hostname = hostname();
        var packages = InstalledPackages.collect();
        return new Inventory(hostname, fqdn(hostname), MachineId.read(MachineId.LOCATIONS).orElse(null),
                system(hal), processors(hal), memory(hal), disks(hal), filesystems(), networkInterfaces(hal),
                new OperatingSystem(os.getFamily(), os.getVersionInfo().getVersion(), System.getProperty("os.version"),
                        System.getProperty("os.arch")),
                os.getSystemUptime(), packages.manager(), packages.packages());
    }

    private SystemInfo system(HardwareAbstractionLayer hal) {
        var computer = hal.getComputerSystem();
        var firmware = computer.getFirmware();
        var board = computer.getBaseboard();
        return new SystemInfo(FirmwareText.clean(computer.getManufacturer()), FirmwareText.clean(computer.getModel()),
                FirmwareText.clean(computer.getSerialNumber()), SmbiosUuid.normalise(computer.getHardwareUUID()).orElse(null),
                new Bios(FirmwareText.clean(firmware.getManufacturer()), FirmwareText.clean(firmware.getVersion()),
                        FirmwareText.clean(firmware.getReleaseDate())),
                new Baseboard(FirmwareText.clean(board.getManufacturer()), FirmwareText.clean(board.getModel()),
                        FirmwareText.clean(board.getVersion()), FirmwareText.clean(board.getSerialNumber())));
    }

    private static List<Processor> processors(HardwareAbstractionLayer hal) {
        var cpu = hal.getProcessor();
        var id = cpu.getProcessorIdentifier();
        var maxFreq = cpu.getMaxFreq();
        return List.of(new Processor(FirmwareText.clean(id.getName()), FirmwareText.clean(id.getVendor()),
                cpu.getPhysicalPackageCount(), cpu.getPhysicalProcessorCount(), cpu.getLogicalProcessorCount(),
                maxFreq > 0 ? maxFreq : null));
    }

    private static Memory memory(HardwareAbstractionLayer hal) {
        var memory = hal.getMemory();
        var modules = memory.getPhysicalMemory().stream()
                .filter(module -> module.getCapacity() > 0)
                .map(module -> new MemoryModule(FirmwareText.clean(module.getBankLabel()), module.getCapacity(),
                        FirmwareText.clean(module.getMemoryType()),
                        module.getClockSpeed() > 0 ? module.getClockSpeed() / 1_000_000 : null,
                        FirmwareText.clean(module.getManufacturer()), FirmwareText.clean(module.getSerialNumber())))
                .sorted(Comparator.comparing(module -> String.valueOf(module.slot())))
                .toList();
        return new Memory(memory.getTotal(), modules);
    }

    private static List<Disk> disks(HardwareAbstractionLayer hal) {
        return hal.getDiskStores().stream()
                .filter(disk -> DiskKinds.isDisk(disk.getName()))
                .map(disk -> {
                    var model = FirmwareText.clean(disk.getModel());
                    return new Disk(DiskKinds.baseName(disk.getName()), model, FirmwareText.clean(disk.getSerial()), disk.getSize(),
                            DiskKinds.classify(disk.getName(), model, SYS_BLOCK));
                })
                .sorted(Comparator.comparing(Disk::name))
                .toList();
    }

    private List<Filesystem> filesystems() {
        return oshi.getOperatingSystem().getFileSystem().getFileStores(true).stream()
                .map(store -> new Filesystem(store.getMount(), store.getVolume(), store.getType(), store.getTotalSpace(),
                        store.getUsableSpace()))
                .sorted(Comparator.comparing(Filesystem::mountPoint))
                .toList();
    }

    private static List<NetworkInterface> networkInterfaces(HardwareAbstractionLayer hal) {
        var nics = new ArrayList<NetworkInterface>();
        for (var nic : hal.getNetworkIFs(false)) {
            var mac = nic.getMacaddr() == null ? null : nic.getMacaddr().toLowerCase(Locale.ROOT);
            if ("00:00:00:00:00:00".equals(mac)) {
                mac = null;
            }
            nics.add(new NetworkInterface(nic.getName(), mac, Arrays.stream(nic.getIPv4addr()).sorted().toList(),
                    Arrays.stream(nic.getIPv6addr()).sorted().toList(), nic.getSpeed() > 0 ? nic.getSpeed() : null));
        }
        nics.sort(Comparator.comparing(NetworkInterface::name));
        return nics;
    }

    private String hostname() {
        var name = oshi.getOperatingSystem().getNetworkParams().getHostName();
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                LOG.warn("inventory: this host has no resolvable name ({})", e.getMessage());
                return null;
            }
        }
        return name;
    }

    private String fqdn(String hostname) {
        var domain = oshi.getOperatingSystem().getNetworkParams().getDomainName();
        if (hostname == null) {
            return null;
        }
        if (hostname.contains(".")) {
            return hostname;
        }
        if (domain != null && !domain.isBlank() && !domain.equals("(none)") && !domain.equals(hostname)) {
            return domain.contains(".") && domain.startsWith(hostname + ".") ? domain : hostname + "." + domain;
        }
        try {
            var canonical = InetAddress.getByName(hostname).getCanonicalHostName();
            return canonical.contains(".") && canonical.startsWith(hostname + ".") ? canonical : hostname;
        } catch (UnknownHostException e) {
            return hostname;
        }
    }

}
