package io.opsbase.protocol;

import java.util.List;

/**
 * The evidence an agent offers at enrollment so the server can recognise a host it already knows
 * (a reinstall, a wiped state directory). Any field may be null: virtual machines often expose no
 * serial or SMBIOS UUID.
 */
public record HostFingerprint(
        String machineId,
        String systemManufacturer,
        String systemSerial,
        String smbiosUuid,
        List<String> macAddresses,
        String hostname) {

    public HostFingerprint {
        macAddresses = macAddresses == null ? List.of() : List.copyOf(macAddresses);
    }
}
