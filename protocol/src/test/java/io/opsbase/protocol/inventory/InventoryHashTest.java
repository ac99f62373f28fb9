package io.opsbase.protocol.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;

import org.junit.jupiter.api.Test;

class InventoryHashTest {

    @Test
    void isTheSameForTheSameContent() {
        assertThat(InventoryHash.of(InventoryFixtures.server(100, 5))).isEqualTo(InventoryHash.of(InventoryFixtures.server(100, 5)));
    }

    @Test
    void ignoresUptimeAndFreeSpace() {
        assertThat(InventoryHash.of(InventoryFixtures.server(100, 5))).isEqualTo(InventoryHash.of(InventoryFixtures.server(86_400, 7_000)));
    }

    @Test
    void ignoresTheOrderInWhichPackagesAndInterfacesWereListed() {
        var original = InventoryFixtures.server(100, 5);
        var packages = new ArrayList<>(original.packages());
        Collections.reverse(packages);
        var nics = new ArrayList<>(original.networkInterfaces());
        Collections.reverse(nics);
        var reordered = new Inventory(original.hostname(), original.fqdn(), original.machineId(), original.system(),
                original.processors(), original.memory(), original.disks(), original.filesystems(), nics, original.os(),
                original.uptimeSeconds(), original.packageManager(), packages);

        assertThat(InventoryHash.of(reordered)).isEqualTo(InventoryHash.of(original));
    }

    @Test
    void changesWhenAPackageIsUpgraded() {
        var original = InventoryFixtures.server(100, 5);
        var packages = new ArrayList<>(original.packages());
        packages.set(1, new InstalledPackage("bash", "5.2.37-3"));
        var upgraded = new Inventory(original.hostname(), original.fqdn(), original.machineId(), original.system(),
                original.processors(), original.memory(), original.disks(), original.filesystems(),
                original.networkInterfaces(), original.os(), original.uptimeSeconds(), original.packageManager(), packages);

        assertThat(InventoryHash.of(upgraded)).isNotEqualTo(InventoryHash.of(original));
    }

    @Test
    void isPinnedSoThatAChangeToTheCanonicalFormIsNoticed() {
        // The server stores these hashes: changing the canonical form re-reconciles every host once.
        assertThat(InventoryHash.of(InventoryFixtures.server(100, 5))).isEqualTo("e062f4a93da14d089aae790573bf5219ace274806e056e3c0c3b92fca18ae93c");
    }
}
