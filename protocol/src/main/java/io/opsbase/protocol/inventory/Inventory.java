package io.opsbase.protocol.inventory;

import java.util.List;

/**
 * Everything an agent knows about its host. Unknown values are null (never placeholders such as
 * "To Be Filled By O.E.M."): a missing serial is normal on virtual machines.
 */
public record Inventory(
        String hostname,
        String fqdn,
        String machineId,
        SystemInfo system,
        List<Processor> processors,
        Memory memory,
        List<Disk> disks,
        List<Filesystem> filesystems,
        List<NetworkInterface> networkInterfaces,
        OperatingSystem os,
        Long uptimeSeconds,
        String packageManager,
        List<InstalledPackage> packages) {

    public Inventory {
        processors = processors == null ? List.of() : List.copyOf(processors);
        disks = disks == null ? List.of() : List.copyOf(disks);
        filesystems = filesystems == null ? List.of() : List.copyOf(filesystems);
        networkInterfaces = networkInterfaces == null ? List.of() : List.copyOf(networkInterfaces);
        packages = packages == null ? List.of() : List.copyOf(packages);
    }
}
