package io.opsbase.protocol.inventory;

/** The machine as its firmware describes it; {@code smbiosUuid} is normalised by {@link SmbiosUuid}. */
public record SystemInfo(String manufacturer, String model, String serial, String smbiosUuid, Bios bios, Baseboard baseboard) {
}
