package io.opsbase.protocol.inventory;

/** The firmware; {@code releaseDate} as the firmware reports it (often MM/DD/YYYY). */
public record Bios(String vendor, String version, String releaseDate) {
}
