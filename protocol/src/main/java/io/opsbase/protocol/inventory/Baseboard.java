package io.opsbase.protocol.inventory;

/** The mainboard. */
public record Baseboard(String manufacturer, String model, String version, String serial) {
}
