package io.opsbase.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.InventoryHash;

/** Collects this very machine and checks what every Linux host has, without assuming DMI exists. */
class InventoryCollectorLiveTest {

    private static Inventory inventory;

    @BeforeAll
    static void collect() {
        inventory = new InventoryCollector().get();
    }

    @Test
    void findsThisHostsName() throws Exception {
        assertThat(inventory.hostname()).isEqualTo(InetAddress.getLocalHost().getHostName());
        assertThat(inventory.fqdn()).startsWith(inventory.hostname());
    }

    @Test
    void countsTheProcessorsTheJvmSees() {
        var cpu = inventory.processors().getFirst();
        assertThat(cpu.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(cpu.sockets()).isPositive();
        assertThat(cpu.cores()).isBetween(1, cpu.threads());
        assertThat(cpu.model()).isNotBlank();
    }

    @Test
    void readsTheMemoryTotalFromTheKernel() throws Exception {
        var memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        assertThat(inventory.memory().totalBytes()).isEqualTo(memTotalKb * 1024);
    }

    @Test
    void findsAtLeastOneNetworkInterfaceFilesystemAndDisk() {
        assertThat(inventory.networkInterfaces()).isNotEmpty();
        assertThat(inventory.networkInterfaces()).noneMatch(nic -> "lo".equals(nic.name()));
        assertThat(inventory.filesystems()).anyMatch(fs -> fs.mountPoint().equals("/") && fs.totalBytes() > 0);
        assertThat(inventory.disks()).isNotEmpty().allMatch(disk -> disk.sizeBytes() >= 0);
    }

    @Test
    void namesTheOperatingSystemKernelAndArchitecture() throws Exception {
        var osRelease = Files.readString(Path.of("/etc/os-release"));
        assertThat(osRelease).contains(inventory.os().name());
        assertThat(inventory.os().kernel()).isEqualTo(System.getProperty("os.version"));
        assertThat(inventory.os().architecture()).isEqualTo(System.getProperty("os.arch"));
        assertThat(inventory.uptimeSeconds()).isPositive();
    }

    @Test
    void readsTheMachineIdAndTheInstalledPackages() throws Exception {
        assertThat(inventory.machineId()).isEqualTo(Files.readString(Path.of("/etc/machine-id")).strip());
        assertThat(inventory.packageManager()).isEqualTo("dpkg");
        assertThat(inventory.packages()).anyMatch(p -> p.name().equals("dpkg"));
    }

    @Test
    void reportsMissingFirmwareEvidenceAsNothingRatherThanPlaceholders() {
        var system = inventory.system();
        assertThat(system.serial()).isNotEqualTo("unknown");
        assertThat(system.smbiosUuid()).satisfiesAnyOf(
                uuid -> assertThat(uuid).isNull(),
                uuid -> assertThat(uuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
        if (!Files.isReadable(Path.of("/sys/class/dmi/id/product_uuid"))) {
            assertThat(system.smbiosUuid()).isNull();
        }
    }

    @Test
    void hashesAnUnchangedHostTheSameOnTheNextCollection() {
        assertThat(InventoryHash.of(new InventoryCollector().get())).isEqualTo(InventoryHash.of(inventory));
    }
}
