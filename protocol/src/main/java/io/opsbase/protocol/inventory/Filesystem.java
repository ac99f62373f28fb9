package io.opsbase.protocol.inventory;

/**
 * A mounted filesystem. {@code freeBytes} changes all the time, so {@link InventoryHash} leaves it
 * out.
 */
public record Filesystem(String mountPoint, String device, String type, long totalBytes, long freeBytes) {
}
