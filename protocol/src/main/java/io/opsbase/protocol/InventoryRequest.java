package io.opsbase.protocol;

import java.time.Instant;
import java.util.Objects;

import io.opsbase.protocol.inventory.Inventory;

/**
 * {@code POST /api/v1/agent/inventory}. {@code contentHash} is {@link
 * io.opsbase.protocol.inventory.InventoryHash#of} of the inventory, so the server can skip
 * reconciliation of an unchanged host cheaply.
 */
public record InventoryRequest(String idempotencyKey, Instant collectedAt, String contentHash, Inventory inventory) {

    public InventoryRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(inventory, "inventory");
    }
}
