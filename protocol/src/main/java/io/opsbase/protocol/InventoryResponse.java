package io.opsbase.protocol;

/** The answer to an inventory report. */
public record InventoryResponse(Acknowledgement acknowledgement) {
}
