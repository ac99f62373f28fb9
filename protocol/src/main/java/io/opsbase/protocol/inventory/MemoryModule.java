package io.opsbase.protocol.inventory;

/** One DIMM: slot (bank label), size, type (DDR4 …), speed in MT/s, serial where readable. */
public record MemoryModule(String slot, long sizeBytes, String type, Long speedMts, String manufacturer, String serial) {
}
