package io.opsbase.protocol.inventory;

import java.util.List;

/** A network interface; MAC lower-case with colons; speed in bits/s, null when unknown. */
public record NetworkInterface(String name, String mac, List<String> ipv4, List<String> ipv6, Long speedBitsPerSecond) {

    public NetworkInterface {
        ipv4 = ipv4 == null ? List.of() : List.copyOf(ipv4);
        ipv6 = ipv6 == null ? List.of() : List.copyOf(ipv6);
    }
}
