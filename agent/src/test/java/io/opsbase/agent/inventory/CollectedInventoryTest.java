package io.opsbase.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.inventory.InstalledPackage;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.InventoryHash;
import io.opsbase.protocol.inventory.Memory;
import io.opsbase.protocol.inventory.NetworkInterface;

class CollectedInventoryTest {

    private final Inventory host = new Inventory("web-1", "web-1.example.net", "3d1219c7c4c5404aaa1f6d2a48adfda4", null, List.of(),
            new Memory(8L << 30, List.of()), List.of(), List.of(),
            List.of(new NetworkInterface("eth0", "52:54:00:12:34:56", List.of("10.0.0.5"), List.of(), 1_000_000_000L)), null, 100L, "dpkg",
            List.of(new InstalledPackage("bash", "5.2.37-2"), new InstalledPackage("note\nwith newline", "1")));

    @Test
    void passesHashKeyFingerprintAndTheExactReportBodyFromTheInventoryProcessToTheAgent() {
        var collected = CollectedInventory.of(host, Instant.parse("2026-11-28T10:00:00Z"));

        var decoded = CollectedInventory.decode(collected.encode());

        assertThat(decoded.contentHash()).isEqualTo(InventoryHash.of(host)).isEqualTo(collected.contentHash());
        assertThat(decoded.idempotencyKey()).startsWith("inventory-").isEqualTo(collected.idempotencyKey());
        assertThat(decoded.fingerprint()).isEqualTo(HostFingerprints.of(host));
        assertThat(decoded.fingerprint().macAddresses()).containsExactly("52:54:00:12:34:56");
        assertThat(decoded.requestBody()).isEqualTo(collected.requestBody());
        var request = ProtocolJson.read(decoded.requestBody(), InventoryRequest.class);
        assertThat(request.inventory()).isEqualTo(host);
        assertThat(request.idempotencyKey()).isEqualTo(decoded.idempotencyKey());
        assertThat(request.contentHash()).isEqualTo(decoded.contentHash());
    }

    @Test
    void refusesOutputWithoutAHeaderLine() {
        assertThatThrownBy(() -> CollectedInventory.decode("{\"not\":\"an inventory\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no header line");
    }
}
