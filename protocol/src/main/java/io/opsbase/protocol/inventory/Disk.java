package io.opsbase.protocol.inventory;

/** A physical or virtual block device; {@code type} is HDD, SSD, NVME, VIRTUAL or UNKNOWN. */
public record Disk(String name, String model, String serial, long sizeBytes, String type) {
}
