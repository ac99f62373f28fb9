package io.opsbase.agent.inventory;

import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.NetworkInterface;

/**
 * The evidence for enrollment, taken from an inventory. Apart from {@link InventoryCollector} so that
 * the long-running agent, which has its inventory collected by a child process, never loads OSHI.
 */
public final class HostFingerprints {

    private HostFingerprints() {
    }

    public static HostFingerprint of(Inventory inventory) {
        var system = inventory.system();
        var macs = inventory.networkInterfaces().stream().map(NetworkInterface::mac).filter(mac -> mac != null).sorted().toList();
        return new HostFingerprint(inventory.machineId(), system == null ? null : system.manufacturer(),
                system == null ? null : system.serial(), system == null ? null : system.smbiosUuid(), macs, inventory.hostname());
    }
}
